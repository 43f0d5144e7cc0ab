import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Seals a small JSON value into a cookie with AES-256-GCM, so that a sign-in attempt started on one
 * process can be finished on any other sharing the secret, and a browser can neither read nor forge it.
 * `purpose` derives a key of its own per use, so that one kind of cookie never opens as another.
 */
export class CookieSeal<T> {
  readonly #key: Buffer;

  /** `secret` null: a random key, good for this process only. */
  constructor(secret: string | null, purpose: string) {
    this.#key = Buffer.from(hkdfSync('sha256', secret ?? randomBytes(32).toString('hex'), 'passerelle', purpose, 32));
  }

  seal(value: T): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The sealed value; null when it was not sealed with this key or was altered. */
  open(sealed: string): T | null {
    try {
      const raw = Buffer.from(sealed, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      return JSON.parse(text) as T;
    } catch {
      return null;
    }
  }
}
