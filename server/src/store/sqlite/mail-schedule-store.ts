import type { MailScheduleStore } from '../account-store.js';
import { SqliteStore } from './sqlite-store.js';

/** Reminders and digests already claimed, in SQLite: a reminder's key is its primary key; a person's last digest is one row. */
export class SqliteMailScheduleStore extends SqliteStore implements MailScheduleStore {
  async claimReminder(key: string, at: string): Promise<boolean> {
    return this.sql('INSERT OR IGNORE INTO mail_reminders (key, at) VALUES (?, ?)').run(key, at).changes === 1;
  }

  async claimDigest(userId: string, day: string, at: string): Promise<{ previousAt: string | null } | null> {
    // IMMEDIATE: two processes on the same file cannot both read the last digest as older than `day`.
    return this.db.transaction(() => {
      const last = this.sql('SELECT day, at FROM mail_digests WHERE user_id = ?').get(userId) as { day: string; at: string } | undefined;
      if (last && last.day >= day) return null;
      this.sql('INSERT INTO mail_digests (user_id, day, at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET day = excluded.day, at = excluded.at').run(userId, day, at);
      return { previousAt: last?.at ?? null };
    }).immediate();
  }
}
