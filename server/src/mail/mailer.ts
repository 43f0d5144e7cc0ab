import nodemailer from 'nodemailer';

/** One e-mail ready to go: its recipient, subject, and the same content as plain text and as HTML. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers (`List-Unsubscribe`). */
  headers?: Record<string, string>;
}

/** What sends an e-mail; rejects when the SMTP server refused it or could not be reached. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/**
 * An SMTP transport through nodemailer, from `SMTP_URL` (`smtp://user:pass@host:587`, or `smtps://`
 * for TLS from the first byte) and `MAIL_FROM`. Connections are not pooled: a school sends a few
 * hundred messages a day, and a fresh connection per message never sends on a stale one.
 */
export function createSmtpTransport(smtpUrl: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      await transporter.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers });
    },
    close() {
      transporter.close();
    },
  };
}
