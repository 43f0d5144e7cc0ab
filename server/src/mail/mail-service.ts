import type { Logger } from 'pino';
import type { MailTransport, OutgoingMail } from './mailer.js';

/**
 * Sends Passerelle's e-mail, or knows it cannot: without `SMTP_URL` and `MAIL_FROM` there is no
 * transport, `enabled` is false, and the screens that would send say so instead.
 */
export class MailService {
  readonly #transport: MailTransport | null;
  readonly #logger: Logger;

  constructor(transport: MailTransport | null, logger: Logger) {
    this.#transport = transport;
    this.#logger = logger;
  }

  /** True when e-mail goes out. */
  get enabled(): boolean {
    return this.#transport !== null;
  }

  /** Sends a message; a failure is logged with its recipient and reason, never thrown at the caller. */
  async send(mail: OutgoingMail, kind: string): Promise<boolean> {
    if (!this.#transport) return false;
    try {
      await this.#transport.send(mail);
      this.#logger.info({ kind, to: mail.to }, 'e-mail sent');
      return true;
    } catch (error) {
      this.#logger.error({ err: error, kind, to: mail.to }, 'e-mail could not be sent');
      return false;
    }
  }

  close(): void {
    this.#transport?.close();
  }
}
