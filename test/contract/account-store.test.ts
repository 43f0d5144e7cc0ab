/** Runs the account stores' contracts over every implementation, then what only the Redis stores promise. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createClient } from 'redis';
import { describe, expect, it, vi } from 'vitest';
import type { AccountStores, UserRecord } from '../../server/src/store/account-store.js';
import { RedisAccountStores } from '../../server/src/store/redis-account-store.js';
import { openDatabase, SCHEMA_MIGRATIONS } from '../../server/src/store/sqlite-database.js';
import { SqliteAccountStores } from '../../server/src/store/sqlite-account-store.js';
import { redisForThisFile } from '../helpers/redis-fixture.js';
import type { AccountStoreFixture } from './account-fixtures.js';
import { describeAccountStoreContract } from './account-store.contract.js';
import { describeActivityStoreContract } from './activity-store.contract.js';
import { describeCalendarFeedStoreContract } from './calendar-feed-store.contract.js';
import { describeBoardDirectoryContract } from './board-directory.contract.js';
import { describeInvitationStoreContract } from './invitation-store.contract.js';
import { describeMailOutboxContract } from './mail-outbox.contract.js';
import { describeMailScheduleStoreContract } from './mail-schedule-store.contract.js';
import { describePeopleStoreContract } from './people-store.contract.js';

/**
 * A SQLite store in a fresh directory; `reopen` closes the database and opens the same files again,
 * `openAnother` opens a second connection to them, as a second process on the same volume would.
 */
async function sqliteStore(): Promise<AccountStoreFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'passerelle-account-store-'));
  let db = openDatabase(dataDir);
  let store = new SqliteAccountStores(db);
  const others: Database.Database[] = [];
  return {
    store,
    async reopen() {
      await store.close();
      db.close();
      db = openDatabase(dataDir);
      store = new SqliteAccountStores(db);
      return store;
    },
    async openAnother() {
      const otherDb = openDatabase(dataDir);
      others.push(otherDb);
      return new SqliteAccountStores(otherDb);
    },
    async cleanup() {
      await store.close();
      for (const otherDb of others) otherDb.close();
      db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** One real redis-server (AOF on) for this file; each fixture gets its own key prefix. */
const { server: sharedRedis, freshPrefix } = redisForThisFile();

/**
 * A Redis store under a fresh key prefix; `reopen` closes the client and connects a new one with the
 * same prefix, `openAnother` connects a second client as another process would.
 */
async function redisStore(): Promise<AccountStoreFixture> {
  const { url } = await sharedRedis();
  const keyPrefix = freshPrefix();
  let store = await RedisAccountStores.connect({ url, keyPrefix });
  const others: RedisAccountStores[] = [];
  return {
    store,
    async reopen() {
      await store.close();
      store = await RedisAccountStores.connect({ url, keyPrefix });
      return store;
    },
    async openAnother() {
      const another = await RedisAccountStores.connect({ url, keyPrefix });
      others.push(another);
      return another;
    },
    async cleanup() {
      await Promise.all([store.close(), ...others.map((another) => another.close())]);
    },
  };
}

const implementations: { name: string; factory: () => Promise<AccountStoreFixture> }[] = [
  { name: 'SqliteAccountStores', factory: sqliteStore },
  { name: 'RedisAccountStores', factory: redisStore },
];

// Each store's contract, then the four together over one storage, over every implementation.
describe.each(implementations)('$name', ({ name, factory }) => {
  describePeopleStoreContract(name, factory);
  describeBoardDirectoryContract(name, factory);
  describeInvitationStoreContract(name, factory);
  describeActivityStoreContract(name, factory);
  describeMailOutboxContract(name, factory);
  describeMailScheduleStoreContract(name, factory);
  describeCalendarFeedStoreContract(name, factory);
  describeAccountStoreContract(name, factory);
});

const camille: UserRecord = {
  id: 'user-camille',
  email: 'camille@example.org',
  name: 'Camille',
  passwordHash: 'x',
  isAdmin: false,
  managesAgreements: false,
  locale: null,
  departments: [],
  createdAt: '2026-01-05T09:00:00.000Z',
  deactivatedAt: null,
};

/** A Redis store under a fresh prefix and a plain client to look at its keys. */
async function inspectedRedisStore() {
  const { url } = await sharedRedis();
  const keyPrefix = freshPrefix();
  const store = await RedisAccountStores.connect({ url, keyPrefix });
  const inspector = createClient({ url });
  inspector.on('error', () => {});
  await inspector.connect();
  return {
    store,
    keyPrefix,
    inspector,
    close: async () => {
      inspector.destroy();
      await store.close();
    },
  };
}

describe('SqliteAccountStores', () => {
  it('reads an account stored before the agreements manager capability as holding none', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'passerelle-account-store-'));
    try {
      // The database as the schema before the capability's column left it.
      const before = SCHEMA_MIGRATIONS.findIndex((migration) => migration.includes('manages_agreements'));
      expect(before).toBeGreaterThan(0);
      const old = new Database(join(dataDir, 'passerelle.sqlite'));
      for (const migration of SCHEMA_MIGRATIONS.slice(0, before)) old.exec(migration);
      old.pragma(`user_version = ${before}`);
      old.prepare("INSERT INTO users (id, email, name, password_hash, is_admin, locale, departments, created_at) VALUES ('user-camille', 'camille@example.org', 'Camille', 'x', 1, NULL, '[]', '2026-01-05T09:00:00.000Z')").run();
      old.close();
      const db = openDatabase(dataDir);
      const store = new SqliteAccountStores(db);
      expect(await store.people.findUserById('user-camille')).toEqual({ ...camille, isAdmin: true, managesAgreements: false });
      await store.close();
      db.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('RedisAccountStores', () => {
  it('reads an account stored before the agreements manager capability (no such field) as holding none', async () => {
    const { store, keyPrefix, inspector, close } = await inspectedRedisStore();
    try {
      await store.people.createUser({ ...camille, managesAgreements: true });
      await inspector.hDel(`${keyPrefix}{accounts}:user:user-camille`, 'managesAgreements');
      expect(await store.people.findUserById('user-camille')).toEqual(camille);
      expect(await store.people.updateUser('user-camille', { managesAgreements: true })).toEqual({ ...camille, managesAgreements: true });
    } finally {
      await close();
    }
  });

  it('lets a session vanish by itself at its expiry, with no sweeper, and ends the person’s other sessions still', async () => {
    const { store, keyPrefix, inspector, close } = await inspectedRedisStore();
    try {
      await store.people.createUser(camille);
      await store.people.createSession('hash-short', 'user-camille', new Date(Date.now() + 300).toISOString());
      await store.people.createSession('hash-long', 'user-camille', '2099-01-01T00:00:00.000Z');
      expect(await store.people.findSession('hash-short')).toMatchObject({ userId: 'user-camille' });
      expect(await inspector.pTTL(`${keyPrefix}{accounts}:session:hash-short`)).toBeGreaterThan(0);

      await vi.waitFor(async () => expect(await store.people.findSession('hash-short')).toBeUndefined(), { timeout: 5000, interval: 50 });
      expect(await inspector.exists(`${keyPrefix}{accounts}:session:hash-short`)).toBe(0);

      await store.people.deleteSessionsOf('user-camille');
      expect(await store.people.findSession('hash-long')).toBeUndefined();
    } finally {
      await close();
    }
  });

  it('keeps every key under `<prefix>{accounts}:`, and deleting a board leaves none of its keys, as docs/redis.md describes', async () => {
    const { store, keyPrefix, inspector, close } = await inspectedRedisStore();
    try {
      const base = `${keyPrefix}{accounts}:`;
      await store.people.createUser(camille);
      await store.directory.createBoard({ id: 'b1', title: 'Porto', createdBy: 'user-camille', createdAt: 'x', updatedAt: 'x' });
      await store.directory.setBoardMember('b1', 'user-camille', 'owner');
      await store.invitations.createGuestInvite({
        id: 'gi-1',
        boardId: 'b1',
        tokenHash: 'hash-gi-1',
        role: 'viewer',
        label: 'Porto',
        createdBy: 'user-camille',
        createdAt: 'x',
        expiresAt: '2099-01-01T00:00:00.000Z',
        revokedAt: null,
      });
      await store.invitations.createGuest({ id: 'g-1', inviteId: 'gi-1', name: 'Ana', organisation: null, locale: null, joinedAt: 'x', revokedAt: null });
      await store.invitations.createGuestSession('guest-hash-1', 'g-1');

      const keys = await inspector.keys(`${keyPrefix}*`);
      expect(keys.every((key) => key.startsWith(base))).toBe(true);
      expect(keys.map((key) => key.slice(base.length)).sort()).toEqual(
        [
          'board:b1',
          'board:b1:guest-invites',
          'board:b1:members',
          'boards',
          'guest-invite:gi-1',
          'guest-invite:gi-1:guests',
          'guest-invites:by-token',
          'guest-session:guest-hash-1',
          'guest:g-1',
          'guest:g-1:sessions',
          'seq',
          'user:user-camille',
          'user:user-camille:boards',
          'users',
          'users:by-email',
        ].sort(),
      );

      expect(await store.directory.deleteBoard('b1')).toBe(true);
      expect((await inspector.keys(`${keyPrefix}*`)).map((key) => key.slice(base.length)).sort()).toEqual(['seq', 'user:user-camille', 'users', 'users:by-email']);
    } finally {
      await close();
    }
  });

  it('shares accounts with any store on the same prefix, and none with another prefix', async () => {
    const { url } = await sharedRedis();
    const keyPrefix = freshPrefix();
    const stores: AccountStores[] = await Promise.all([
      RedisAccountStores.connect({ url, keyPrefix }),
      RedisAccountStores.connect({ url, keyPrefix }),
      RedisAccountStores.connect({ url, keyPrefix: freshPrefix() }),
    ]);
    try {
      await stores[0].people.createUser(camille);
      expect(await stores[1].people.findUserByEmail('camille@example.org')).toEqual(camille);
      expect(await stores[2].people.countUsers()).toBe(0);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('refuses a key prefix with a brace, which would break the hash tag', () => {
    expect(() => new RedisAccountStores({ url: 'redis://127.0.0.1:1', keyPrefix: 'a{b}:' })).toThrow(/keyPrefix/);
  });

  it('rejects connect with a clear error when Redis cannot be reached', async () => {
    // Port 1 on loopback: nothing listens there.
    await expect(RedisAccountStores.connect({ url: 'redis://127.0.0.1:1', initialConnectAttempts: 2 })).rejects.toThrow(/could not connect to Redis after 2 attempts/);
  });
});
