/**
 * The signature of a webhook delivery: `X-Passerelle-Signature: t=<unix seconds>,v1=<hex>`, where
 * `<hex>` is the HMAC-SHA256, keyed with the webhook's secret, of `<t>.<raw body>`. The timestamp
 * inside the signed text lets a receiver refuse a replayed delivery (older than a few minutes).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new signing secret: 32 random bytes, shown to the administrator once. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The signature header's value for `body` sent at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

/**
 * Checks a signature header as a receiver should: the HMAC matches, compared in constant time, and
 * the timestamp is within `toleranceSeconds` of `now`. Exported for the documentation's example and the tests.
 */
export function verifySignature(secret: string, header: string, body: string, now = Date.now() / 1000, toleranceSeconds = 300): boolean {
  const parts = new Map(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isFinite(timestamp) || Math.abs(now - timestamp) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
