/**
 * The e-mail that follows an in-app notification (a mention, an action item assigned, a sign-off
 * asked of a department), in the recipient's language, unless they chose not to get that kind;
 * every one carries a link that stops that kind without signing in.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { UnsubscribeScope, catalogs, translate, type AppNotification, type Locale, type MailPreferences, type MessageKey } from '@passerelle/shared';
import type { PeopleStore } from '../store/account-store.js';
import type { MailService } from './mail-service.js';
import { renderMail } from './messages.js';

/** Every kind at once unless the person said otherwise. */
export async function mailPreferencesOf(people: PeopleStore, userId: string): Promise<MailPreferences> {
  return { mention: 'immediate', assignment: 'immediate', sign_off_request: 'immediate', reminder: 'immediate', ...(await people.getMailPreferences(userId)) };
}

function signature(secret: string, userId: string, kind: UnsubscribeScope): string {
  return createHmac('sha256', secret).update(`unsubscribe:${userId}:${kind}`).digest('base64url');
}

/** The token of a person's unsubscribe link for one kind (or the digest): `<userId>.<kind>.<HMAC with their secret>`. */
export async function unsubscribeToken(people: PeopleStore, userId: string, kind: UnsubscribeScope): Promise<string> {
  const secret = await people.mailLinkSecret(userId, randomBytes(32).toString('base64url'));
  return `${userId}.${kind}.${signature(secret, userId, kind)}`;
}

/** Whose link this is and for which kind, when its signature holds; null otherwise. */
export async function readUnsubscribeToken(people: PeopleStore, token: string): Promise<{ userId: string; kind: UnsubscribeScope } | null> {
  const [userId, kind, given, ...rest] = token.split('.');
  const parsedKind = UnsubscribeScope.safeParse(kind);
  if (!userId || !given || rest.length > 0 || !parsedKind.success) return null;
  if (!(await people.findUserById(userId))) return null;
  const secret = await people.mailLinkSecret(userId, randomBytes(32).toString('base64url'));
  const expected = Buffer.from(signature(secret, userId, parsedKind.data));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? { userId, kind: parsedKind.data } : null;
}

/** Where a notification leads in the web app, as `notificationHref` there. */
export function notificationPath(notification: AppNotification): string {
  const board = `/boards/${encodeURIComponent(notification.boardId)}`;
  if (!notification.cardId) return board;
  if (notification.kind === 'assignment') return `${board}?view=actions&card=${encodeURIComponent(notification.cardId)}`;
  return `${board}?card=${encodeURIComponent(notification.cardId)}`;
}

/** What a notification's message is written with, in `locale`. */
function wordsOf(notification: AppNotification, locale: Locale) {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(locale, key, params);
  const actor = notification.actorName ?? t('mail.someone');
  const params = { actor, subject: notification.subject, board: notification.boardTitle };
  const departmentKey = `department.${notification.excerpt}` as MessageKey;
  const department = departmentKey in catalogs[locale] ? t(departmentKey) : notification.excerpt;
  return { t, params, department };
}

/** A notification in one line (its message's subject), in `locale`: a digest lists them so. */
export function notificationSubject(notification: AppNotification, locale: Locale): string {
  const { t, params, department } = wordsOf(notification, locale);
  const subjectKey: MessageKey = notification.kind === 'mention' ? 'mail.mention.subject' : notification.kind === 'assignment' ? 'mail.assignment.subject' : 'mail.signOff.subject';
  return t(subjectKey, { ...params, department });
}

/** The message of a notification, in `locale`. */
export function notificationMail(input: { to: string; locale: Locale; notification: AppNotification; appUrl: string; unsubscribeToken: string }): ReturnType<typeof renderMail> {
  const { notification, locale } = input;
  const { t, params, department } = wordsOf(notification, locale);
  const paragraphs =
    notification.kind === 'mention'
      ? [t('mail.mention.body', params), ...(notification.excerpt ? [t('mail.quote', { text: notification.excerpt })] : [])]
      : notification.kind === 'assignment'
        ? [t('mail.assignment.body', params)]
        : [t('mail.signOff.body', { ...params, department })];
  return renderMail(
    input.to,
    {
      subject: notificationSubject(notification, locale),
      paragraphs,
      action: { label: t('mail.notification.open'), url: `${input.appUrl}${notificationPath(notification)}` },
      unsubscribeUrl: `${input.appUrl}/unsubscribe?token=${encodeURIComponent(input.unsubscribeToken)}`,
      oneClickUrl: `${input.appUrl}/api/mail/unsubscribe?token=${encodeURIComponent(input.unsubscribeToken)}`,
      unsubscribeLabel: t(`mail.unsubscribe.${notification.kind}` as MessageKey),
    },
    t('mail.footer', { url: input.appUrl }),
  );
}

/**
 * What the notifier calls after a notification is stored: sends its e-mail when e-mail is on, the
 * person is active and has not turned that kind off. Never rejects: a failure is logged.
 */
export function createNotificationMailer(options: { people: PeopleStore; mail: MailService; appUrl: () => string; logger: Logger }) {
  const { people, mail, logger } = options;
  return async (userId: string, notification: AppNotification): Promise<void> => {
    if (!mail.enabled) return;
    try {
      const user = await people.findUserById(userId);
      if (!user || user.deactivatedAt !== null) return;
      const preferences = await mailPreferencesOf(people, userId);
      if (preferences[notification.kind] !== 'immediate') return;
      const appUrl = options.appUrl();
      const token = await unsubscribeToken(people, userId, notification.kind);
      const message = notificationMail({
        to: user.email,
        locale: user.locale ?? 'fr',
        notification,
        appUrl,
        unsubscribeToken: token,
      });
      await mail.send(message, notification.kind);
    } catch (error) {
      logger.error({ err: error, userId, kind: notification.kind }, 'notification e-mail could not be written');
    }
  };
}
