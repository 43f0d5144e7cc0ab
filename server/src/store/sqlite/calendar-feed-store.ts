import type { CalendarEventStamp, CalendarFeedRecord, CalendarFeedStore } from '../account-store.js';
import { storedCalendarEventStamp, storedCalendarFeed } from '../stored-records.js';
import { SqliteStore } from './sqlite-store.js';

const FEED_COLUMNS = 'id, user_id, board_id, created_at';

/** Calendar feeds and event stamps in the embedded database; a feed goes with its person or its board (foreign keys). */
export class SqliteCalendarFeedStore extends SqliteStore implements CalendarFeedStore {
  async putFeed(feed: CalendarFeedRecord & { tokenHash: string }): Promise<void> {
    // One transaction: a renewed feed never has two secrets, nor none, at any moment.
    this.db.transaction(() => {
      this.sql("DELETE FROM calendar_feeds WHERE user_id = ? AND COALESCE(board_id, '') = COALESCE(?, '')").run(feed.userId, feed.boardId);
      this.sql('INSERT INTO calendar_feeds (id, user_id, board_id, token_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(
        feed.id,
        feed.userId,
        feed.boardId,
        feed.tokenHash,
        feed.createdAt,
      );
    })();
  }

  async findFeedByToken(tokenHash: string): Promise<CalendarFeedRecord | undefined> {
    return this.row(storedCalendarFeed, `SELECT ${FEED_COLUMNS} FROM calendar_feeds WHERE token_hash = ?`, tokenHash);
  }

  async listFeeds(userId: string): Promise<CalendarFeedRecord[]> {
    return this.rows(storedCalendarFeed, `SELECT ${FEED_COLUMNS} FROM calendar_feeds WHERE user_id = ? ORDER BY created_at, id`, userId);
  }

  async deleteFeed(userId: string, id: string): Promise<boolean> {
    return this.sql('DELETE FROM calendar_feeds WHERE id = ? AND user_id = ?').run(id, userId).changes > 0;
  }

  async stampEvents(events: readonly { uid: string; fingerprint: string }[], at: string): Promise<Map<string, CalendarEventStamp>> {
    const stamps = new Map<string, CalendarEventStamp>();
    this.db.transaction(() => {
      for (const { uid, fingerprint } of events) {
        const stored = this.row(storedCalendarEventStamp, 'SELECT fingerprint, sequence, modified_at FROM calendar_event_stamps WHERE uid = ?', uid);
        if (stored && stored.fingerprint === fingerprint) {
          stamps.set(uid, { sequence: stored.sequence, modifiedAt: stored.modifiedAt });
          continue;
        }
        const sequence = stored ? stored.sequence + 1 : 0;
        this.sql('INSERT INTO calendar_event_stamps (uid, fingerprint, sequence, modified_at) VALUES (?, ?, ?, ?) ON CONFLICT(uid) DO UPDATE SET fingerprint = excluded.fingerprint, sequence = excluded.sequence, modified_at = excluded.modified_at').run(
          uid,
          fingerprint,
          sequence,
          at,
        );
        stamps.set(uid, { sequence, modifiedAt: at });
      }
    })();
    return stamps;
  }
}
