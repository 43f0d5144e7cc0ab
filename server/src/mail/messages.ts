import { translate, type Locale, type MessageKey } from '@passerelle/shared';
import type { OutgoingMail } from './mailer.js';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

/** The parts of a message: paragraphs of text, and at most one link to act on. */
interface MessageParts {
  subject: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Said after the action. */
  after?: string[];
  /** Where a person stops receiving this kind of message (none for a password reset). */
  unsubscribeUrl?: string;
  unsubscribeLabel?: string;
  /** Where a mail client's one-click unsubscribe posts (RFC 8058), the API rather than the page. */
  oneClickUrl?: string;
}

/**
 * Renders a message as plain text and as simple HTML with the same words, so that a mail client
 * without HTML (or a screen reader reading the text part) gets the whole message and the link.
 */
export function renderMail(to: string, parts: MessageParts, footer: string): OutgoingMail {
  const after = parts.after ?? [];
  const textBlocks = [
    ...parts.paragraphs,
    ...(parts.action ? [`${parts.action.label}:\n${parts.action.url}`] : []),
    ...after,
    `--\n${footer}`,
    ...(parts.unsubscribeUrl ? [`${parts.unsubscribeLabel}: ${parts.unsubscribeUrl}`] : []),
  ];
  const paragraph = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  const html = [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:36rem">',
    ...parts.paragraphs.map(paragraph),
    ...(parts.action
      ? [`<p style="margin:0 0 16px"><a href="${escapeHtml(parts.action.url)}" style="display:inline-block;padding:10px 16px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(parts.action.label)}</a></p>`, paragraph(parts.action.url)]
      : []),
    ...after.map(paragraph),
    `<p style="margin:24px 0 0;color:#555;font-size:14px">${escapeHtml(footer)}</p>`,
    ...(parts.unsubscribeUrl ? [`<p style="margin:8px 0 0;font-size:14px"><a href="${escapeHtml(parts.unsubscribeUrl)}" style="color:#555">${escapeHtml(parts.unsubscribeLabel ?? '')}</a></p>`] : []),
    '</body></html>',
  ].join('\n');
  return {
    to,
    subject: parts.subject,
    text: textBlocks.join('\n\n') + '\n',
    html,
    ...(parts.oneClickUrl ? { headers: { 'List-Unsubscribe': `<${parts.oneClickUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } } : {}),
  };
}

/** The password reset message, in the recipient's language. */
export function passwordResetMail(input: { to: string; name: string; locale: Locale; resetUrl: string; appUrl: string }): OutgoingMail {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(input.locale, key, params);
  return renderMail(
    input.to,
    {
      subject: t('mail.reset.subject'),
      paragraphs: [t('mail.reset.greeting', { name: input.name }), t('mail.reset.body')],
      action: { label: t('mail.reset.action'), url: input.resetUrl },
      after: [t('mail.reset.ignore')],
    },
    t('mail.footer', { url: input.appUrl }),
  );
}

/** The message an administrator sends to themselves from the mail settings. */
export function testMail(input: { to: string; name: string; locale: Locale; appUrl: string }): OutgoingMail {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(input.locale, key, params);
  return renderMail(input.to, { subject: t('mail.test.subject'), paragraphs: [t('mail.test.body', { name: input.name })] }, t('mail.footer', { url: input.appUrl }));
}

/**
 * An invitation, in the language the inviter chose for the invited person (who has no account, so no
 * saved language yet): to create an account, or, with `boardTitle`, a partner's link to one board.
 */
export function invitationMail(input: { to: string; inviterName: string; locale: Locale; url: string; expiresAt: string; appUrl: string; boardTitle?: string }): OutgoingMail {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(input.locale, key, params);
  const expires = new Intl.DateTimeFormat(input.locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long' }).format(new Date(input.expiresAt));
  return renderMail(
    input.to,
    {
      subject: input.boardTitle === undefined ? t('mail.invitation.subject', { name: input.inviterName }) : t('mail.guestInvitation.subject', { name: input.inviterName, board: input.boardTitle }),
      paragraphs: [input.boardTitle === undefined ? t('mail.invitation.body', { name: input.inviterName }) : t('mail.guestInvitation.body', { name: input.inviterName, board: input.boardTitle })],
      action: { label: t(input.boardTitle === undefined ? 'mail.invitation.action' : 'mail.guestInvitation.action'), url: input.url },
      after: [t('mail.invitation.expires', { date: expires })],
    },
    t('mail.footer', { url: input.appUrl }),
  );
}
