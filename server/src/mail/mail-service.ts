import type { Logger } from 'pino';
import { newId } from '@passerelle/shared';
import type { MailOutbox, OutboxMessage } from '../store/account-store.js';
import type { MailTransport, OutgoingMail } from './mailer.js';

/**
 * Waits between the tries of one message: a minute, then longer, for about a day in all; after the
 * last one the message is given up and stays listed for administrators. A mail server that refuses
 * for a while (greylisting, a restart, a full queue) gets its messages once it is back.
 */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 3 * 3600_000, 6 * 3600_000, 12 * 3600_000];

export interface MailServiceOptions {
  outbox: MailOutbox;
  /** Null without `SMTP_URL`: nothing is written or sent, and `enabled` is false. */
  transport: MailTransport | null;
  logger: Logger;
  /** Waits before each retry (default `DEFAULT_RETRY_DELAYS_MS`); its length is the number of retries. */
  retryDelaysMs?: readonly number[];
  /** How often the outbox is looked at for due messages (default 5 s), besides right after a message is written. */
  pollMs?: number;
}

/** How long a sender holds a message it took: past it, another process may try it (this one died). */
const LEASE_MS = 2 * 60_000;
/** Messages taken at once. */
const BATCH = 20;

/**
 * Passerelle's e-mail: every message is written to the outbox first, then sent; a failure is
 * recorded on the message and retried later with growing waits, so that no e-mail fails silently.
 * Without `SMTP_URL` and `MAIL_FROM` there is no transport, `enabled` is false, and the screens that
 * would send say so instead.
 */
export class MailService {
  readonly #outbox: MailOutbox;
  readonly #transport: MailTransport | null;
  readonly #logger: Logger;
  readonly #retryDelaysMs: readonly number[];
  readonly #timer: NodeJS.Timeout | null;
  /** The running pass over the outbox, if any; one at a time. */
  #pass: Promise<void> | null = null;
  /** A message was written during the running pass: run another one after it. */
  #again = false;
  #closed = false;
  /** Wake-ups for retries sooner than the next poll. */
  readonly #retryTimers = new Set<NodeJS.Timeout>();

  constructor(options: MailServiceOptions) {
    this.#outbox = options.outbox;
    this.#transport = options.transport;
    this.#logger = options.logger;
    this.#retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.#timer = this.#transport ? setInterval(() => this.#kick(), options.pollMs ?? 5000) : null;
    this.#timer?.unref();
    if (this.#transport) this.#kick();
  }

  /** True when e-mail goes out. */
  get enabled(): boolean {
    return this.#transport !== null;
  }

  /** Writes a message to the outbox and starts sending it; its id, or null when e-mail is off. */
  async send(mail: OutgoingMail, kind: string): Promise<string | null> {
    if (!this.#transport) return null;
    const id = newId();
    await this.#outbox.enqueue({ id, kind, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers ?? {}, createdAt: new Date().toISOString() });
    this.#kick();
    return id;
  }

  /** Sends what is due now; resolves once this pass (and any asked for meanwhile) is done. */
  flush(): Promise<void> {
    this.#kick();
    return this.#pass ?? Promise.resolve();
  }

  #kick(): void {
    if (this.#closed || !this.#transport) return;
    if (this.#pass) {
      this.#again = true;
      return;
    }
    this.#pass = (async () => {
      do {
        this.#again = false;
        await this.#sendDue().catch((error: unknown) => this.#logger.error({ err: error }, 'the e-mail outbox could not be read'));
      } while (this.#again && !this.#closed);
    })().finally(() => {
      this.#pass = null;
    });
  }

  async #sendDue(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const due = await this.#outbox.claimDue(new Date(now).toISOString(), new Date(now + LEASE_MS).toISOString(), BATCH);
      for (const message of due) await this.#deliver(message);
      if (due.length < BATCH || this.#closed) return;
    }
  }

  async #deliver(message: OutboxMessage): Promise<void> {
    try {
      await this.#transport!.send({ to: message.to, subject: message.subject, text: message.text, html: message.html, headers: message.headers });
      await this.#outbox.recordSent(message.id, new Date().toISOString());
      this.#logger.info({ kind: message.kind, id: message.id, attempts: message.attempts + 1 }, 'e-mail sent');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const delay = this.#retryDelaysMs[message.attempts];
      const retryAt = delay === undefined ? null : new Date(Date.now() + delay).toISOString();
      await this.#outbox.recordFailure(message.id, new Date().toISOString(), reason.slice(0, 500), retryAt);
      if (delay !== undefined) this.#wakeAfter(delay);
      this.#logger.warn({ kind: message.kind, id: message.id, attempts: message.attempts + 1, retryAt, reason }, retryAt ? 'e-mail not sent; will retry' : 'e-mail not sent; given up');
    }
  }

  #wakeAfter(delayMs: number): void {
    const timer = setTimeout(() => {
      this.#retryTimers.delete(timer);
      this.#kick();
    }, delayMs);
    timer.unref();
    this.#retryTimers.add(timer);
  }

  /** Stops looking at the outbox and waits for the message being sent; what is left is sent after the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    for (const timer of this.#retryTimers) clearTimeout(timer);
    await this.#pass;
    this.#transport?.close();
  }
}
