import type { CalendarEventStamp, CalendarFeedRecord, CalendarFeedStore } from '../account-store.js';
import { storedCalendarFeed } from '../stored-records.js';
import { compareText, pairsOf, type AccountsKeyspace } from './accounts-keyspace.js';

/** The slot of a person's own feed in `user:<id>:calendar-feeds` (a board id never is `~`). */
const OWN_SLOT = '~';

/**
 * Calendar feeds in Redis: `calendar-feed:<id>` (a hash), `calendar-feeds:by-hash` (secret hash to
 * id), `user:<id>:calendar-feeds` (board id, or `~`, to feed id), `board:<id>:calendar-feeds` (the
 * board's feed ids) and `calendar-event:<uid>` (the event stamps). A deleted board or person takes
 * their feeds with them, as SQLite's cascades do.
 */
export class RedisCalendarFeedStore implements CalendarFeedStore {
  readonly #ks: AccountsKeyspace;

  constructor(keyspace: AccountsKeyspace) {
    this.#ks = keyspace;
  }

  async putFeed(feed: CalendarFeedRecord & { tokenHash: string }): Promise<void> {
    const userKey = this.#ks.key('user', feed.userId);
    const status = await this.#ks.run(
      'PUT_CALENDAR_FEED',
      [
        this.#ks.key('calendar-feed', feed.id),
        this.#ks.key('calendar-feeds', 'by-hash'),
        this.#ks.key('user', feed.userId, 'calendar-feeds'),
        userKey,
        feed.boardId === null ? userKey : this.#ks.key('board', feed.boardId),
      ],
      [feed.id, feed.tokenHash, feed.boardId ?? OWN_SLOT, ...pairsOf({ id: feed.id, userId: feed.userId, boardId: feed.boardId, tokenHash: feed.tokenHash, createdAt: feed.createdAt })],
    );
    this.#ks.check(status, [`user ${feed.userId}`, `board ${feed.boardId}`], `calendar feed ${feed.id}`);
  }

  async findFeedByToken(tokenHash: string): Promise<CalendarFeedRecord | undefined> {
    await this.#ks.connected;
    const id = await this.#ks.client.hGet(this.#ks.key('calendar-feeds', 'by-hash'), tokenHash);
    if (id === null || id === undefined) return undefined;
    const [fields] = await this.#ks.records([id], (feedId) => this.#ks.key('calendar-feed', feedId));
    return fields ? storedCalendarFeed.fromFields(fields) : undefined;
  }

  async listFeeds(userId: string): Promise<CalendarFeedRecord[]> {
    await this.#ks.connected;
    const ids = Object.values(await this.#ks.client.hGetAll(this.#ks.key('user', userId, 'calendar-feeds')));
    const feeds = (await this.#ks.records(ids, (id) => this.#ks.key('calendar-feed', id))).map(storedCalendarFeed.fromFields);
    return feeds.sort((a, b) => compareText(a.createdAt, b.createdAt) || compareText(a.id, b.id));
  }

  async deleteFeed(userId: string, id: string): Promise<boolean> {
    const deleted = await this.#ks.run(
      'DELETE_CALENDAR_FEED',
      [this.#ks.key('calendar-feed', id), this.#ks.key('calendar-feeds', 'by-hash'), this.#ks.key('user', userId, 'calendar-feeds')],
      [userId, id],
    );
    return deleted === 1;
  }

  async stampEvents(events: readonly { uid: string; fingerprint: string }[], at: string): Promise<Map<string, CalendarEventStamp>> {
    const stamps = new Map<string, CalendarEventStamp>();
    if (events.length === 0) return stamps;
    const reply = (await this.#ks.run(
      'STAMP_EVENTS',
      events.map((event) => this.#ks.key('calendar-event', event.uid)),
      [at, ...events.map((event) => event.fingerprint)],
    )) as string[];
    events.forEach((event, index) => stamps.set(event.uid, { sequence: Number(reply[2 * index]), modifiedAt: String(reply[2 * index + 1]) }));
    return stamps;
  }
}
