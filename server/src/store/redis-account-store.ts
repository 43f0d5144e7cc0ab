import type { AccountStores } from './account-store.js';
import { readyOrClosed, type RedisStoreOptions } from './redis-connection.js';
import { AccountsKeyspace } from './redis/accounts-keyspace.js';
import { RedisActivityStore } from './redis/activity-store.js';
import { RedisCalendarFeedStore } from './redis/calendar-feed-store.js';
import { RedisBoardDirectory } from './redis/board-directory.js';
import { RedisInvitationStore } from './redis/invitation-store.js';
import { RedisMailOutbox } from './redis/mail-outbox.js';
import { RedisMailScheduleStore } from './redis/mail-schedule-store.js';
import { RedisPeopleStore } from './redis/people-store.js';

export { AccountConstraintError } from './redis/accounts-keyspace.js';
export { RedisActivityStore, RedisBoardDirectory, RedisCalendarFeedStore, RedisInvitationStore, RedisPeopleStore };

export type RedisAccountStoreOptions = RedisStoreOptions;

/**
 * The account stores for several Passerelle processes: people, sessions, tokens, the list of boards
 * and their access, invitations, guests, the audit log, notifications and board history, all in
 * Redis under `<prefix>{accounts}:`, so that any process can serve any request. Key layout and why:
 * `docs/redis.md`. The four stores share one client.
 *
 * They keep every rule the SQLite schema enforces (unique emails and token hashes, one first
 * administrator, single-use invitations, references to existing people and boards, what deleting a
 * board takes with it). Each write that checks or touches more than one key is one Lua script, which
 * Redis runs alone: two processes creating the same email, or accepting the same invitation, are
 * serialised by Redis itself. Lists come back in the SQLite store's order, ties included.
 */
export class RedisAccountStores implements AccountStores {
  readonly people: RedisPeopleStore;
  readonly directory: RedisBoardDirectory;
  readonly invitations: RedisInvitationStore;
  readonly activity: RedisActivityStore;
  readonly mail: RedisMailOutbox;
  readonly calendars: RedisCalendarFeedStore;
  readonly mailSchedule: RedisMailScheduleStore;
  readonly #keyspace: AccountsKeyspace;

  /** Starts connecting at once; the first operation waits for the connection (see `connect` to fail fast). */
  constructor(options: RedisAccountStoreOptions) {
    this.#keyspace = new AccountsKeyspace(options);
    this.people = new RedisPeopleStore(this.#keyspace);
    this.directory = new RedisBoardDirectory(this.#keyspace);
    this.invitations = new RedisInvitationStore(this.#keyspace);
    this.activity = new RedisActivityStore(this.#keyspace);
    this.mail = new RedisMailOutbox(this.#keyspace);
    this.calendars = new RedisCalendarFeedStore(this.#keyspace);
    this.mailSchedule = new RedisMailScheduleStore(this.#keyspace);
  }

  /** Opens the stores and resolves once Redis answered, so that a wrong `REDIS_URL` stops the server at start. */
  static async connect(options: RedisAccountStoreOptions): Promise<RedisAccountStores> {
    const store = new RedisAccountStores(options);
    return readyOrClosed(store, () => store.#keyspace.connected.then(() => store.#keyspace.client.ping()));
  }

  /** See `RedisPeopleStore.agreeOnSetupSecret`. */
  agreeOnSetupSecret(secret: string): Promise<string> {
    return this.people.agreeOnSetupSecret(secret);
  }

  async ping(): Promise<void> {
    await this.#keyspace.ping();
  }

  async close(): Promise<void> {
    await this.#keyspace.close();
  }
}
