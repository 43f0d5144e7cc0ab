import type Database from 'better-sqlite3';
import type { AccountStores } from './account-store.js';
import { SqliteActivityStore } from './sqlite/activity-store.js';
import { SqliteCalendarFeedStore } from './sqlite/calendar-feed-store.js';
import { SqliteBoardDirectory } from './sqlite/board-directory.js';
import { SqliteInvitationStore } from './sqlite/invitation-store.js';
import { SqliteMailOutbox } from './sqlite/mail-outbox.js';
import { SqliteMailScheduleStore } from './sqlite/mail-schedule-store.js';
import { SqlitePeopleStore } from './sqlite/people-store.js';
import { pingDatabase } from './sqlite-database.js';

export { SqliteActivityStore, SqliteBoardDirectory, SqliteCalendarFeedStore, SqliteInvitationStore, SqliteMailOutbox, SqlitePeopleStore };

/**
 * The embedded account stores, in the same SQLite database as the documents: the database's
 * foreign keys carry what one store's deletion takes from another (a board's roles and guests, an
 * imported person's sessions and tokens). The database is the caller's to close.
 */
export class SqliteAccountStores implements AccountStores {
  readonly people: SqlitePeopleStore;
  readonly directory: SqliteBoardDirectory;
  readonly invitations: SqliteInvitationStore;
  readonly activity: SqliteActivityStore;
  readonly mail: SqliteMailOutbox;
  readonly calendars: SqliteCalendarFeedStore;
  readonly mailSchedule: SqliteMailScheduleStore;
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
    this.people = new SqlitePeopleStore(db);
    this.directory = new SqliteBoardDirectory(db);
    this.invitations = new SqliteInvitationStore(db);
    this.activity = new SqliteActivityStore(db);
    this.mail = new SqliteMailOutbox(db);
    this.calendars = new SqliteCalendarFeedStore(db);
    this.mailSchedule = new SqliteMailScheduleStore(db);
  }

  async ping(): Promise<void> {
    pingDatabase(this.#db);
  }

  async close(): Promise<void> {}
}
