/** The messages of the e-mail scheduler: a due-date reminder, and a person's daily digest. */
import { formatWallTime, translate, type AppNotification, type Locale, type MessageKey, type NotificationKind } from '@passerelle/shared';
import type { DueItem } from './due-items.js';
import { titleIn } from './due-items.js';
import type { OutgoingMail } from './mailer.js';
import { escapeHtml, renderMail } from './messages.js';
import { notificationPath, notificationSubject } from './notification-mail.js';

/** A day (`YYYY-MM-DD`) written out in `locale`: « 3 décembre 2026 », "3 December 2026". */
export function longDay(day: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
}

/** What an item's reminder says, in one sentence. */
export function reminderSentence(item: DueItem, locale: Locale): string {
  const params = { title: titleIn(item.title, locale), board: item.boardTitle, date: longDay(item.dueDate, locale), proposal: item.proposalTitle ?? '' };
  if (item.meeting) {
    const time = formatWallTime(item.meeting.start, locale);
    return item.meeting.place
      ? translate(locale, 'meetingPlan.mail.reminderAt', { ...params, time, place: item.meeting.place })
      : translate(locale, 'meetingPlan.mail.reminder', { ...params, time });
  }
  const key: MessageKey = item.kind === 'action' ? 'mail.reminder.action' : item.kind === 'roadmap' ? 'mail.reminder.roadmap' : 'mail.reminder.section';
  return translate(locale, key, params);
}

/** Where the unsubscribe links of a message lead: the page, and the one-click address of the API. */
interface UnsubscribeLinks {
  appUrl: string;
  token: string;
}

const unsubscribeParts = (links: UnsubscribeLinks) => ({
  unsubscribeUrl: `${links.appUrl}/unsubscribe?token=${encodeURIComponent(links.token)}`,
  oneClickUrl: `${links.appUrl}/api/mail/unsubscribe?token=${encodeURIComponent(links.token)}`,
});

/** A reminder that an item comes due, in `locale`. */
export function reminderMail(input: { to: string; locale: Locale; item: DueItem } & UnsubscribeLinks): OutgoingMail {
  const { item, locale } = input;
  const t = (key: MessageKey, params?: Record<string, string>) => translate(locale, key, params);
  const params = { title: titleIn(item.title, locale), date: longDay(item.dueDate, locale) };
  const subject = item.meeting
    ? t('meetingPlan.mail.subject', { ...params, time: formatWallTime(item.meeting.start, locale) })
    : t(item.kind === 'roadmap' ? 'mail.reminder.roadmapSubject' : 'mail.reminder.subject', params);
  return renderMail(
    input.to,
    {
      subject,
      paragraphs: [reminderSentence(item, locale)],
      action: { label: t('mail.notification.open'), url: `${input.appUrl}${item.path}` },
      ...unsubscribeParts(input),
      unsubscribeLabel: t('mail.unsubscribe.reminder'),
    },
    t('mail.footer', { url: input.appUrl }),
  );
}

/** Items listed per kind in a digest: more are counted, and wait in Passerelle. */
const DIGEST_ITEMS_PER_KIND = 20;

/** The kinds of a digest, in the order its sections come. */
const DIGEST_ORDER: readonly (NotificationKind | 'reminder')[] = ['reminder', 'assignment', 'sign_off_request', 'mention'];

/**
 * A person's daily digest, in `locale`: one section per kind they gathered there (reminders first,
 * then what was asked of them), each line with its link, as plain text and as HTML.
 */
export function digestMail(input: { to: string; name: string; locale: Locale; day: string; notifications: AppNotification[]; reminders: DueItem[] } & UnsubscribeLinks): OutgoingMail {
  const { locale, appUrl } = input;
  const t = (key: MessageKey, params?: Record<string, string>) => translate(locale, key, params);
  const lines = new Map<NotificationKind | 'reminder', { text: string; url: string }[]>();
  for (const item of input.reminders) lines.set('reminder', [...(lines.get('reminder') ?? []), { text: reminderSentence(item, locale), url: `${appUrl}${item.path}` }]);
  for (const notification of input.notifications) {
    lines.set(notification.kind, [...(lines.get(notification.kind) ?? []), { text: notificationSubject(notification, locale), url: `${appUrl}${notificationPath(notification)}` }]);
  }
  const sections = DIGEST_ORDER.filter((kind) => lines.has(kind)).map((kind) => {
    const all = lines.get(kind)!;
    return { title: t(`mail.digest.section.${kind}` as MessageKey), items: all.slice(0, DIGEST_ITEMS_PER_KIND), more: all.length - DIGEST_ITEMS_PER_KIND };
  });
  const links = unsubscribeParts(input);
  const footer = t('mail.footer', { url: appUrl });
  const unsubscribeLabel = t('mail.unsubscribe.digest');
  const opening = [t('mail.digest.greeting', { name: input.name }), t('mail.digest.intro')];

  const text = [
    ...opening,
    ...sections.map((section) =>
      [section.title, ...section.items.map((item) => `- ${item.text}\n  ${item.url}`), ...(section.more > 0 ? [t('mail.digest.more', { count: String(section.more) })] : [])].join('\n'),
    ),
    `${t('mail.digest.open')}:\n${appUrl}`,
    `--\n${footer}`,
    `${unsubscribeLabel}: ${links.unsubscribeUrl}`,
  ].join('\n\n');
  const html = [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:36rem">',
    ...opening.map((paragraph) => `<p style="margin:0 0 16px">${escapeHtml(paragraph)}</p>`),
    ...sections.map((section) =>
      [
        `<h2 style="font-size:17px;margin:24px 0 8px">${escapeHtml(section.title)}</h2>`,
        '<ul style="margin:0 0 16px;padding-left:20px">',
        ...section.items.map((item) => `<li style="margin:0 0 8px"><a href="${escapeHtml(item.url)}" style="color:#1d4ed8">${escapeHtml(item.text)}</a></li>`),
        '</ul>',
        ...(section.more > 0 ? [`<p style="margin:0 0 16px">${escapeHtml(t('mail.digest.more', { count: String(section.more) }))}</p>`] : []),
      ].join('\n'),
    ),
    `<p style="margin:0 0 16px"><a href="${escapeHtml(appUrl)}" style="display:inline-block;padding:10px 16px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(t('mail.digest.open'))}</a></p>`,
    `<p style="margin:24px 0 0;color:#555;font-size:14px">${escapeHtml(footer)}</p>`,
    `<p style="margin:8px 0 0;font-size:14px"><a href="${escapeHtml(links.unsubscribeUrl)}" style="color:#555">${escapeHtml(unsubscribeLabel)}</a></p>`,
    '</body></html>',
  ].join('\n');
  return {
    to: input.to,
    subject: t('mail.digest.subject', { date: longDay(input.day, locale) }),
    text: `${text}\n`,
    html,
    headers: { 'List-Unsubscribe': `<${links.oneClickUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
