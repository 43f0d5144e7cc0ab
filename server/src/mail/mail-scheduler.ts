/**
 * The e-mail that goes out by the clock: due-date reminders, and each person's daily digest. Once a
 * day has reached `digestHour` in the school's time zone, each pass looks at what comes due within
 * the lead time and at who gathers which kinds in a digest. What it sends it first claims in the
 * store, so that several processes, and a process started again, send each reminder and each day's
 * digest once.
 */
import type { Logger } from 'pino';
import type { AppNotification, MailPreferences, NotificationKind } from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import type { MemberPrincipal } from '../auth/auth-service.js';
import type { FeedSources } from '../calendar/feed-events.js';
import type { ActivityStore, BoardDirectory, MailScheduleStore, PeopleStore, UserRecord } from '../store/account-store.js';
import { dueItemsOf, reminderKey, type DueItem } from './due-items.js';
import type { MailService } from './mail-service.js';
import { mailPreferencesOf, unsubscribeToken } from './notification-mail.js';
import { digestMail, reminderMail } from './scheduled-mail.js';
import { addDays, schoolTime } from './school-time.js';

/** When scheduled e-mail goes out (`DIGEST_HOUR`, `MAIL_TIME_ZONE`, `REMINDER_LEAD_DAYS`). */
export interface MailSchedule {
  /** The hour (0 to 23) of the school's day from which digests and reminders go out. */
  digestHour: number;
  /** The school's time zone, an IANA name. */
  timeZone: string;
  /** Days before a due date its reminder goes (0: on the day). */
  reminderLeadDays: number;
}

export interface MailSchedulerOptions {
  schedule: MailSchedule;
  mail: MailService;
  people: PeopleStore;
  directory: BoardDirectory;
  activity: ActivityStore;
  claims: MailScheduleStore;
  access: BoardAccess;
  sources: FeedSources;
  appUrl: () => string;
  logger: Logger;
  /** The time now (tests give their own). */
  clock?: () => Date;
  /** How often a pass runs (default 5 minutes); 0: only when `run` is called. */
  intervalMs?: number;
}

/** Notifications a digest looks through: more than a day brings to anyone. */
const DIGEST_NOTIFICATIONS_READ = 200;
/** What a first digest gathers, with no earlier one to start from. */
const FIRST_DIGEST_WINDOW_MS = 24 * 3600_000;
const NOTIFICATION_KINDS: readonly NotificationKind[] = ['mention', 'assignment', 'sign_off_request'];

/** The principal an account is read as, to ask whether it still opens a board. */
function principalOf(user: UserRecord): MemberPrincipal {
  return { kind: 'member', id: user.id, name: user.name, user, via: 'token', sessionHash: null, expiresAt: null };
}

export class MailScheduler {
  readonly #options: MailSchedulerOptions;
  readonly #clock: () => Date;
  readonly #timer: NodeJS.Timeout | null;
  #pass: Promise<void> | null = null;
  #closed = false;

  constructor(options: MailSchedulerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
    const interval = options.intervalMs ?? 5 * 60_000;
    this.#timer = options.mail.enabled && interval > 0 ? setInterval(() => void this.run(), interval) : null;
    this.#timer?.unref();
  }

  /** Runs a pass now (or joins the one running); never rejects: failures are logged. */
  run(): Promise<void> {
    if (this.#closed || !this.#options.mail.enabled) return Promise.resolve();
    this.#pass ??= this.#runPass()
      .catch((error: unknown) => this.#options.logger.error({ err: error }, 'scheduled e-mail pass failed'))
      .finally(() => {
        this.#pass = null;
      });
    return this.#pass;
  }

  async #runPass(): Promise<void> {
    const { schedule, people, directory, sources, logger } = this.#options;
    const now = this.#clock();
    const { day, hour } = schoolTime(now, schedule.timeZone);
    if (hour < schedule.digestHour) return;
    const items: DueItem[] = [];
    for (const board of await directory.listBoards()) {
      try {
        const due = await dueItemsOf(sources, board, day, addDays(day, schedule.reminderLeadDays), schedule.timeZone);
        // A meeting planned for earlier today, once it has begun, is not reminded any more.
        items.push(...due.filter((item) => !item.meeting || item.meeting.startsAt > now));
      } catch (error) {
        logger.error({ err: error, boardId: board.id }, 'due dates of a board could not be read');
      }
    }
    const members = new Map<string, Set<string>>();
    for (const boardId of new Set(items.filter((item) => item.audience.kind === 'board').map((item) => item.boardId))) {
      members.set(boardId, new Set((await directory.getBoardAccess(boardId))?.members.map((member) => member.userId) ?? []));
    }
    for (const user of await people.listUsers()) {
      if (this.#closed) return;
      if (user.deactivatedAt !== null) continue;
      try {
        await this.#serve(user, await this.#itemsOf(user, items, members), day, now);
      } catch (error) {
        logger.error({ err: error, userId: user.id }, 'scheduled e-mail of a person could not be written');
      }
    }
  }

  /** The items that concern `user` on boards they can still open. */
  async #itemsOf(user: UserRecord, items: readonly DueItem[], members: ReadonlyMap<string, ReadonlySet<string>>): Promise<DueItem[]> {
    const concerned = items.filter((item) => {
      const audience = item.audience;
      if (audience.kind === 'person') return audience.userId === user.id;
      if (audience.kind === 'department') return user.departments.includes(audience.department);
      return members.get(item.boardId)?.has(user.id) ?? false;
    });
    const mine: DueItem[] = [];
    for (const item of concerned) if ((await this.#options.access.roleOf(principalOf(user), item.boardId)) !== null) mine.push(item);
    return mine;
  }

  /** Sends a person's reminders at once, and their digest, as they chose. */
  async #serve(user: UserRecord, items: DueItem[], day: string, now: Date): Promise<void> {
    const { people, mail, claims } = this.#options;
    const preferences = await mailPreferencesOf(people, user.id);
    const locale = user.locale ?? 'fr';
    const appUrl = this.#options.appUrl();
    const at = now.toISOString();
    const claimed = async (item: DueItem) => claims.claimReminder(reminderKey(item, user.id), at);

    if (preferences.reminder === 'immediate') {
      for (const item of items) {
        if (!(await claimed(item))) continue;
        const token = await unsubscribeToken(people, user.id, 'reminder');
        await mail.send(reminderMail({ to: user.email, locale, item, appUrl, token }), 'reminder');
      }
    }

    const digestKinds = NOTIFICATION_KINDS.filter((kind) => preferences[kind] === 'digest');
    if (digestKinds.length === 0 && preferences.reminder !== 'digest') return;
    const digest = await claims.claimDigest(user.id, day, at);
    if (!digest) return;
    const since = digest.previousAt ?? new Date(now.getTime() - FIRST_DIGEST_WINDOW_MS).toISOString();
    const notifications = digestKinds.length === 0 ? [] : await this.#notificationsSince(user.id, digestKinds, since, at);
    const reminders: DueItem[] = [];
    if (preferences.reminder === 'digest') for (const item of items) if (await claimed(item)) reminders.push(item);
    // An empty digest is not sent: a quiet day costs nobody a message.
    if (notifications.length === 0 && reminders.length === 0) return;
    const token = await unsubscribeToken(people, user.id, 'digest');
    await mail.send(digestMail({ to: user.email, name: user.name, locale, day, notifications, reminders, appUrl, token }), 'digest');
  }

  async #notificationsSince(userId: string, kinds: readonly NotificationKind[], since: string, until: string): Promise<AppNotification[]> {
    const recent = await this.#options.activity.listNotifications(userId, DIGEST_NOTIFICATIONS_READ);
    return recent.filter((notification) => kinds.includes(notification.kind) && notification.at > since && notification.at <= until).reverse();
  }

  /** Stops the timer and waits for a running pass. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#pass;
  }
}

/** The kinds a person gathers in their digest. */
export function digestKindsOf(preferences: MailPreferences): (keyof MailPreferences)[] {
  return (Object.keys(preferences) as (keyof MailPreferences)[]).filter((kind) => preferences[kind] === 'digest');
}
