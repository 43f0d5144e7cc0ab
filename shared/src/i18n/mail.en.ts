import type { PasswordAuditEventType } from '../access.js';

/** Names of the password events of the audit log. */
const enPasswordAuditTypes: Record<`audit.type.${PasswordAuditEventType}`, string> = {
  'audit.type.password_changed': 'Password changed',
  'audit.type.password_reset_requested': 'Password reset asked for',
  'audit.type.password_reset': 'Password reset',
};

/** English messages of e-mail, passwords and notification preferences. Keys are shared with `mail.fr.ts`. */
export const enMail = {
  ...enPasswordAuditTypes,
  'error.reset_link_invalid': 'This link is no longer valid: it was already used or is more than an hour old. Ask for a new one.',

  'error.mail_not_configured': 'This server sends no e-mail: SMTP_URL and MAIL_FROM are not set.',

  'auth.forgot.link': 'Forgot your password?',
  'auth.forgot.title': 'Reset your password',
  'auth.forgot.intro': 'Enter the e-mail address of your account: we send you a link to choose a new password.',
  'auth.forgot.submit': 'Send the link',
  'auth.forgot.sent': 'If an account uses {email}, an e-mail with a link is on its way. The link works once, for one hour.',
  'auth.forgot.unavailable': 'This server sends no e-mail. Ask an administrator to set a new password for you.',
  'auth.forgot.back': 'Back to sign-in',
  'auth.reset.title': 'Choose a new password',
  'auth.reset.intro': 'Your other sessions will be signed out.',
  'auth.reset.submit': 'Save the new password',
  'auth.reset.done': 'Your password is changed. Sign in with it.',
  'auth.reset.missing': 'This link is incomplete. Open the link of the e-mail again, or ask for a new one.',
  'auth.reset.askAgain': 'Ask for a new link',

  'account.title': 'My account',
  'account.nav': 'My account',
  'account.password.title': 'Change my password',
  'account.password.current': 'Current password',
  'account.password.new': 'New password',
  'account.password.submit': 'Change my password',
  'account.password.done': 'Your password is changed. Your other sessions are signed out.',

  'mail.footer': 'Sent by Passerelle, {url}',
  'mail.reset.subject': 'Reset your Passerelle password',
  'mail.reset.greeting': 'Hello {name},',
  'mail.reset.body': 'Someone, probably you, asked to reset the password of your Passerelle account. To choose a new one, open this link within the hour:',
  'mail.reset.action': 'Choose a new password',
  'mail.reset.ignore': 'If you did not ask for it, ignore this message: your password stays as it is.',

  'mail.test.subject': 'Passerelle test message',
  'mail.test.body': 'This message was sent from the mail settings of Passerelle by {name}. If you read it, e-mail works.',

  'mailSettings.nav': 'E-mail',
  'mailSettings.title': 'E-mail',
  'mailSettings.intro': 'Every message is written to the outbox before it is sent; a message the mail server refuses is tried again, with growing waits, for about a day.',
  'mailSettings.enabled': 'E-mail is sent as {from}.',
  'mailSettings.disabled': 'This server sends no e-mail: set SMTP_URL and MAIL_FROM and restart it. Until then, invitation links are shown to copy and passwords cannot be reset by e-mail.',
  'mailSettings.test': 'Send a test message to me',
  'mailSettings.testSent': 'A test message is on its way to {email}. If it does not arrive, it will be listed below.',
  'mailSettings.failures': 'Last failures',
  'mailSettings.noFailures': 'No message is failing.',
  'mailSettings.column.to': 'To',
  'mailSettings.column.subject': 'Subject',
  'mailSettings.column.error': 'Last error',
  'mailSettings.column.when': 'Last try',
  'mailSettings.column.next': 'Next try',
  'mailSettings.givenUp': 'Given up after {count} tries',
} as const;
