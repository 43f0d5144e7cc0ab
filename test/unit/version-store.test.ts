/** The version store contract, run against the SQLite, the in-memory and the Redis implementations. */
import { describe, expect, it } from 'vitest';
import { SqliteAccountStores } from '../../server/src/store/sqlite-account-store.js';
import { MemoryVersionStore, VersionLimitError, WORKSPACE_TARGET, WORKSPACE_VERSIONS_OWNER, proposalTarget, type StoredVersion, type VersionStore } from '../../server/src/versions/version-store.js';
import { RedisVersionStore } from '../../server/src/versions/redis-version-store.js';
import { SqliteVersionStore } from '../../server/src/versions/sqlite-version-store.js';
import { user } from '../contract/account-fixtures.js';
import { redisForThisFile } from '../helpers/redis-fixture.js';
import { redisStoreFixture, sqliteStoreFixture, storePerTest } from '../helpers/store-fixture.js';

interface Fixture {
  store: VersionStore;
  /** Deletes a board the way the application does (the SQLite store follows the board row). */
  deleteBoard(boardId: string): Promise<void>;
  /** Closes the store and opens a new one over the same storage; absent for the in-memory store. */
  reopen?: () => Promise<VersionStore>;
  /** Opens a second store over the same storage, as another process would; absent when it cannot be shared. */
  openAnother?: () => Promise<VersionStore>;
  cleanup(): Promise<void>;
}

/** One real redis-server (AOF on) for this file; each fixture gets its own key prefix. */
const sharedRedis = redisForThisFile();

const BOARDS = ['board-aaaa01', 'board-bbbb02'];

const fixtures: [string, () => Promise<Fixture>][] = [
  [
    'SqliteVersionStore',
    async () => {
      const sqlite = await sqliteStoreFixture('versions', (db) => new SqliteVersionStore(db));
      const accounts = new SqliteAccountStores(sqlite.db);
      await accounts.people.createUser(user({ passwordHash: 'x', isAdmin: true, departments: [] }));
      for (const id of BOARDS) await accounts.directory.createBoard({ id, title: id, createdBy: 'user-camille', createdAt: 'x', updatedAt: 'x' });
      return {
        store: sqlite.store,
        deleteBoard: async (boardId) => void (await new SqliteAccountStores(sqlite.db).directory.deleteBoard(boardId)),
        reopen: sqlite.reopen,
        openAnother: sqlite.openAnother,
        cleanup: sqlite.cleanup,
      };
    },
  ],
  [
    'RedisVersionStore',
    async () => {
      const redis = await redisStoreFixture(sharedRedis, (options) => RedisVersionStore.connect(options));
      let store = redis.store;
      return {
        store,
        // The application deletes a board's versions through the store (VersionService.forgetBoard).
        deleteBoard: (boardId) => store.deleteBoard(boardId),
        reopen: async () => (store = await redis.reopen()),
        openAnother: redis.openAnother,
        cleanup: redis.cleanup,
      };
    },
  ],
  [
    'MemoryVersionStore',
    async () => {
      const store = new MemoryVersionStore();
      return { store, deleteBoard: (boardId) => store.deleteBoard(boardId), cleanup: async () => {} };
    },
  ],
];

function version(overrides: Partial<StoredVersion> & Pick<StoredVersion, 'id'>): StoredVersion {
  return {
    boardId: BOARDS[0],
    at: '2026-03-12T10:00:00.000Z',
    kind: 'auto',
    name: null,
    createdBy: null,
    editors: [{ id: 'user-camille', name: 'Camille' }],
    boardState: new Uint8Array([1, 2, 3]),
    internalState: new Uint8Array([0, 0]),
    ...overrides,
  };
}

describe.each(fixtures)('%s', (name, open) => {
  const opened = storePerTest(name, open);

  it('returns a stored version with its states and metadata, only under its own board', async () => {
    const stored = version({ id: 'version-0001', kind: 'named', name: 'Before the committee', createdBy: { id: 'user-camille', name: 'Camille' } });
    await opened.fixture.store.insert(stored);
    expect(await opened.fixture.store.get(BOARDS[0], 'version-0001')).toEqual(stored);
    expect(await opened.fixture.store.get(BOARDS[1], 'version-0001')).toBeUndefined();
    const { boardState: _b, internalState: _i, ...summary } = stored;
    expect(await opened.fixture.store.list(BOARDS[0])).toEqual([summary]);
  });

  it('lists newest first, and keeps insertion order among versions of the same instant', async () => {
    await opened.fixture.store.insert(version({ id: 'version-0001', at: '2026-03-12T10:00:00.000Z' }));
    await opened.fixture.store.insert(version({ id: 'version-0002', at: '2026-03-12T11:00:00.000Z' }));
    await opened.fixture.store.insert(version({ id: 'version-0003', at: '2026-03-12T11:00:00.000Z' }));
    expect((await opened.fixture.store.list(BOARDS[0])).map((v) => v.id)).toEqual(['version-0003', 'version-0002', 'version-0001']);
  });

  it('prunes the oldest automatic versions beyond the number kept, never named ones nor other boards', async () => {
    for (let i = 1; i <= 5; i++) await opened.fixture.store.insert(version({ id: `version-000${i}`, at: `2026-03-12T1${i}:00:00.000Z` }));
    await opened.fixture.store.insert(version({ id: 'version-name', kind: 'named', name: 'Kept', at: '2026-03-12T09:00:00.000Z' }));
    await opened.fixture.store.insert(version({ id: 'version-othr', boardId: BOARDS[1], at: '2026-03-12T08:00:00.000Z' }));
    expect(await opened.fixture.store.pruneAuto(BOARDS[0], 2)).toBe(3);
    expect((await opened.fixture.store.list(BOARDS[0])).map((v) => v.id)).toEqual(['version-0005', 'version-0004', 'version-name']);
    expect(await opened.fixture.store.list(BOARDS[1])).toHaveLength(1);
  });

  /** A version of `bytes` bytes in all (its two states). */
  const sized = (bytes: number, overrides: Partial<StoredVersion> & Pick<StoredVersion, 'id'>) =>
    version({ boardState: new Uint8Array(bytes - 10).fill(7), internalState: new Uint8Array(10), ...overrides });
  const ids = async (boardId = BOARDS[0]) => (await opened.fixture.store.list(boardId)).map((v) => v.id);

  it('refuses a named version past the most named versions a board may have, storing and deleting nothing', async () => {
    const limits = { maxNamed: 2, maxBytes: 10_000 };
    await opened.fixture.store.insert(sized(100, { id: 'version-auto', at: '2026-03-12T08:00:00.000Z' }), limits);
    for (const i of [1, 2]) await opened.fixture.store.insert(sized(100, { id: `version-nam${i}`, kind: 'named', name: `N${i}`, at: `2026-03-12T1${i}:00:00.000Z` }), limits);
    const refused = opened.fixture.store.insert(sized(100, { id: 'version-nam3', kind: 'named', name: 'N3', at: '2026-03-12T13:00:00.000Z' }), limits);
    await expect(refused).rejects.toBeInstanceOf(VersionLimitError);
    await expect(refused).rejects.toMatchObject({ limit: 'named', max: 2 });
    expect(await ids()).toEqual(['version-nam2', 'version-nam1', 'version-auto']);
    // Other boards have their own count; automatic versions are not counted.
    await opened.fixture.store.insert(sized(100, { id: 'version-othr', boardId: BOARDS[1], kind: 'named', name: 'N' }), limits);
    await opened.fixture.store.insert(sized(100, { id: 'version-aut2', at: '2026-03-12T13:00:00.000Z' }), limits);
    expect(await ids()).toHaveLength(4);
  });

  it('makes room within the byte cap by deleting the oldest automatic versions first, never named ones', async () => {
    const limits = { maxNamed: 10, maxBytes: 1000 };
    await opened.fixture.store.insert(sized(300, { id: 'version-aut1', at: '2026-03-12T08:00:00.000Z' }), limits);
    await opened.fixture.store.insert(sized(300, { id: 'version-name', kind: 'named', name: 'Kept', at: '2026-03-12T07:00:00.000Z' }), limits);
    await opened.fixture.store.insert(sized(300, { id: 'version-aut2', at: '2026-03-12T09:00:00.000Z' }), limits);
    // 1200 bytes with this one: the oldest automatic version goes (the named one, older still, stays).
    expect(await opened.fixture.store.insert(sized(300, { id: 'version-aut3', at: '2026-03-12T10:00:00.000Z' }), limits)).toEqual({ pruned: 1 });
    expect(await ids()).toEqual(['version-aut3', 'version-aut2', 'version-name']);
    // A named version takes the room of automatic ones too: two go for 700 bytes.
    expect(await opened.fixture.store.insert(sized(700, { id: 'version-big1', kind: 'named', name: 'Big', at: '2026-03-12T11:00:00.000Z' }), limits)).toEqual({ pruned: 2 });
    expect(await ids()).toEqual(['version-big1', 'version-name']);
    // Versions of the same instant: the one stored first is the older.
    await opened.fixture.store.delete(BOARDS[0], 'version-big1');
    await opened.fixture.store.insert(sized(300, { id: 'version-sam1', at: '2026-03-12T12:00:00.000Z' }), limits);
    await opened.fixture.store.insert(sized(300, { id: 'version-sam2', at: '2026-03-12T12:00:00.000Z' }), limits);
    await opened.fixture.store.insert(sized(300, { id: 'version-sam3', at: '2026-03-12T12:00:00.000Z' }), limits);
    expect(await ids()).toEqual(['version-sam3', 'version-sam2', 'version-name']);
  });

  it('refuses a version that does not fit even without automatic versions, deleting nothing', async () => {
    const limits = { maxNamed: 10, maxBytes: 1000 };
    await opened.fixture.store.insert(sized(400, { id: 'version-nam1', kind: 'named', name: 'N1', at: '2026-03-12T08:00:00.000Z' }), limits);
    await opened.fixture.store.insert(sized(400, { id: 'version-nam2', kind: 'named', name: 'N2', at: '2026-03-12T09:00:00.000Z' }), limits);
    await opened.fixture.store.insert(sized(200, { id: 'version-aut1', at: '2026-03-12T10:00:00.000Z' }), limits);
    for (const kind of ['named', 'auto'] as const) {
      const refused = opened.fixture.store.insert(sized(300, { id: `version-${kind}`, kind, name: kind === 'named' ? 'N3' : null, at: '2026-03-12T11:00:00.000Z' }), limits);
      await expect(refused).rejects.toMatchObject({ limit: 'bytes', max: 1000 });
    }
    expect(await ids()).toEqual(['version-aut1', 'version-nam2', 'version-nam1']);
    // Without limits (an archive restoring its history), anything goes.
    await opened.fixture.store.insert(sized(5000, { id: 'version-arch', kind: 'named', name: 'Archived' }));
    expect(await ids()).toHaveLength(4);
  });

  it('deletes one version of a board, only under its own board', async () => {
    await opened.fixture.store.insert(version({ id: 'version-0001', kind: 'named', name: 'N' }));
    await opened.fixture.store.insert(version({ id: 'version-0002' }));
    expect(await opened.fixture.store.delete(BOARDS[1], 'version-0001')).toBe(false);
    expect(await opened.fixture.store.delete(BOARDS[0], 'version-0001')).toBe(true);
    expect(await opened.fixture.store.delete(BOARDS[0], 'version-0001')).toBe(false);
    expect(await ids()).toEqual(['version-0002']);
    expect(await opened.fixture.store.get(BOARDS[0], 'version-0001')).toBeUndefined();
    // Its id is free again.
    await opened.fixture.store.insert(version({ id: 'version-0001' }));
  });

  it('refuses a version id that is taken', async () => {
    await opened.fixture.store.insert(version({ id: 'version-0001' }));
    await expect(opened.fixture.store.insert(version({ id: 'version-0001' }))).rejects.toThrow();
  });

  it('forgets the versions of a deleted board', async () => {
    await opened.fixture.store.insert(version({ id: 'version-0001' }));
    await opened.fixture.deleteBoard(BOARDS[0]);
    expect(await opened.fixture.store.list(BOARDS[0])).toEqual([]);
    expect(await opened.fixture.store.get(BOARDS[0], 'version-0001')).toBeUndefined();
  });

  it('returns states byte for byte, whatever bytes they hold', async () => {
    const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
    await opened.fixture.store.insert(version({ id: 'version-0001', boardState: everyByte, internalState: new Uint8Array([0xff, 0xfe, 0, 0xc3]) }));
    const stored = await opened.fixture.store.get(BOARDS[0], 'version-0001');
    expect(stored?.boardState).toEqual(everyByte);
    expect(stored?.internalState).toEqual(new Uint8Array([0xff, 0xfe, 0, 0xc3]));
  });

  describe('versions of a board’s proposals (targets)', () => {
    const PROPOSAL = proposalTarget('card-porto01');
    const OTHER_PROPOSAL = proposalTarget('card-lisbo02');

    it('keeps a proposal’s versions apart from the board’s and from other proposals’: listed, read and deleted only under their own target', async () => {
      const store = opened.fixture.store;
      await store.insert(version({ id: 'version-brd1', at: '2026-03-12T09:00:00.000Z' }));
      const proposal = version({ id: 'version-prp1', kind: 'named', name: 'Sent to partners', createdBy: { id: 'user-camille', name: 'Camille' }, at: '2026-03-12T10:00:00.000Z' });
      await store.insert(proposal, undefined, PROPOSAL);
      await store.insert(version({ id: 'version-prp2', at: '2026-03-12T11:00:00.000Z' }), undefined, OTHER_PROPOSAL);

      expect((await store.list(BOARDS[0])).map((v) => v.id)).toEqual(['version-brd1']);
      expect((await store.list(BOARDS[0], PROPOSAL)).map((v) => v.id)).toEqual(['version-prp1']);
      expect((await store.list(BOARDS[0], OTHER_PROPOSAL)).map((v) => v.id)).toEqual(['version-prp2']);
      expect(await store.get(BOARDS[0], 'version-prp1', PROPOSAL)).toEqual(proposal);
      expect(await store.get(BOARDS[0], 'version-prp1')).toBeUndefined();
      expect(await store.get(BOARDS[0], 'version-prp1', OTHER_PROPOSAL)).toBeUndefined();
      expect(await store.get(BOARDS[0], 'version-brd1', PROPOSAL)).toBeUndefined();

      expect(await store.delete(BOARDS[0], 'version-prp1')).toBe(false);
      expect(await store.delete(BOARDS[0], 'version-prp1', OTHER_PROPOSAL)).toBe(false);
      expect(await store.delete(BOARDS[0], 'version-brd1', PROPOSAL)).toBe(false);
      expect(await store.delete(BOARDS[0], 'version-prp1', PROPOSAL)).toBe(true);
      expect(await store.list(BOARDS[0], PROPOSAL)).toEqual([]);
      expect((await store.list(BOARDS[0])).map((v) => v.id)).toEqual(['version-brd1']);
    });

    it('prunes automatic versions per target: a proposal’s do not push out the board’s', async () => {
      const store = opened.fixture.store;
      for (let i = 1; i <= 3; i++) await store.insert(version({ id: `version-brd${i}`, at: `2026-03-12T0${i}:00:00.000Z` }));
      for (let i = 1; i <= 3; i++) await store.insert(version({ id: `version-prp${i}`, at: `2026-03-12T1${i}:00:00.000Z` }), undefined, PROPOSAL);
      expect(await store.pruneAuto(BOARDS[0], 1, PROPOSAL)).toBe(2);
      expect((await store.list(BOARDS[0], PROPOSAL)).map((v) => v.id)).toEqual(['version-prp3']);
      expect(await store.list(BOARDS[0])).toHaveLength(3);
    });

    it('counts a proposal’s versions in its board’s caps: named ones in the board’s number, all of them in its bytes', async () => {
      const store = opened.fixture.store;
      const limits = { maxNamed: 2, maxBytes: 1000 };
      await store.insert(sized(300, { id: 'version-brda', at: '2026-03-12T08:00:00.000Z' }), limits);
      await store.insert(sized(300, { id: 'version-nam1', kind: 'named', name: 'Sent to partners', at: '2026-03-12T09:00:00.000Z' }), limits, PROPOSAL);
      await store.insert(sized(300, { id: 'version-nam2', kind: 'named', name: 'Committee', at: '2026-03-12T10:00:00.000Z' }), limits);
      const refused = store.insert(sized(10, { id: 'version-nam3', kind: 'named', name: 'Submitted', at: '2026-03-12T11:00:00.000Z' }), limits, OTHER_PROPOSAL);
      await expect(refused).rejects.toMatchObject({ limit: 'named', max: 2 });
      // A proposal's automatic version takes the room of the board's oldest automatic one.
      expect(await store.insert(sized(300, { id: 'version-prpa', at: '2026-03-12T12:00:00.000Z' }), limits, PROPOSAL)).toEqual({ pruned: 1 });
      expect((await store.list(BOARDS[0])).map((v) => v.id)).toEqual(['version-nam2']);
      expect((await store.list(BOARDS[0], PROPOSAL)).map((v) => v.id)).toEqual(['version-prpa', 'version-nam1']);
      // Beside the board's and the first proposal's named versions, no room for 500 bytes more: refused, nothing deleted.
      await expect(store.insert(sized(500, { id: 'version-big1', kind: 'named', name: 'Big' }), { maxNamed: 10, maxBytes: 1000 }, OTHER_PROPOSAL)).rejects.toMatchObject({ limit: 'bytes' });
      expect((await store.list(BOARDS[0], PROPOSAL)).map((v) => v.id)).toEqual(['version-prpa', 'version-nam1']);
    });

    it('forgets a deleted board’s proposals’ versions with it', async () => {
      await opened.fixture.store.insert(version({ id: 'version-prp1' }), undefined, PROPOSAL);
      await opened.fixture.deleteBoard(BOARDS[0]);
      expect(await opened.fixture.store.list(BOARDS[0], PROPOSAL)).toEqual([]);
      expect(await opened.fixture.store.get(BOARDS[0], 'version-prp1', PROPOSAL)).toBeUndefined();
    });

    it('keeps what a version is of across reopening', async (context) => {
      if (!opened.fixture.reopen) return context.skip('the in-memory store has no storage to reopen');
      await opened.fixture.store.insert(version({ id: 'version-prp1', kind: 'named', name: 'Sent to partners' }), undefined, PROPOSAL);
      await opened.fixture.store.insert(version({ id: 'version-brd1' }));
      opened.fixture.store = await opened.fixture.reopen();
      expect((await opened.fixture.store.list(BOARDS[0], PROPOSAL)).map((v) => v.id)).toEqual(['version-prp1']);
      expect((await opened.fixture.store.list(BOARDS[0])).map((v) => v.id)).toEqual(['version-brd1']);
    });
  });

  describe('versions of the workspace document (its own target, under no board)', () => {
    const workspaceVersion = (overrides: Partial<StoredVersion> & Pick<StoredVersion, 'id'>) => version({ boardId: WORKSPACE_VERSIONS_OWNER, ...overrides });
    const workspaceIds = async () => (await opened.fixture.store.list(WORKSPACE_VERSIONS_OWNER, WORKSPACE_TARGET)).map((v) => v.id);

    it('stores, lists, reads and deletes the workspace’s versions under its own target only', async () => {
      const store = opened.fixture.store;
      const named = workspaceVersion({ id: 'version-wsp1', kind: 'named', name: 'Before the call', createdBy: { id: 'user-camille', name: 'Camille' }, at: '2026-03-12T09:00:00.000Z' });
      await store.insert(named, undefined, WORKSPACE_TARGET);
      await store.insert(workspaceVersion({ id: 'version-wsp2', at: '2026-03-12T10:00:00.000Z' }), undefined, WORKSPACE_TARGET);
      await store.insert(version({ id: 'version-brd1' }));

      expect(await workspaceIds()).toEqual(['version-wsp2', 'version-wsp1']);
      expect(await store.get(WORKSPACE_VERSIONS_OWNER, 'version-wsp1', WORKSPACE_TARGET)).toEqual(named);
      expect(await store.get(WORKSPACE_VERSIONS_OWNER, 'version-wsp1')).toBeUndefined();
      expect(await store.get(BOARDS[0], 'version-wsp1', WORKSPACE_TARGET)).toBeUndefined();
      expect(await store.get(WORKSPACE_VERSIONS_OWNER, 'version-brd1', WORKSPACE_TARGET)).toBeUndefined();
      expect((await store.list(BOARDS[0])).map((v) => v.id)).toEqual(['version-brd1']);
      // Ids are unique across the boards' versions and the workspace's.
      await expect(store.insert(workspaceVersion({ id: 'version-brd1' }), undefined, WORKSPACE_TARGET)).rejects.toThrow();
      await expect(store.insert(version({ id: 'version-wsp1' }))).rejects.toThrow();

      expect(await store.delete(BOARDS[0], 'version-wsp1', WORKSPACE_TARGET)).toBe(false);
      expect(await store.delete(WORKSPACE_VERSIONS_OWNER, 'version-wsp1')).toBe(false);
      expect(await store.delete(WORKSPACE_VERSIONS_OWNER, 'version-wsp1', WORKSPACE_TARGET)).toBe(true);
      expect(await workspaceIds()).toEqual(['version-wsp2']);
    });

    it('keeps the workspace’s versions within caps of their own, pruning its oldest automatic ones, and leaves boards’ alone', async () => {
      const store = opened.fixture.store;
      const limits = { maxNamed: 1, maxBytes: 1000 };
      await store.insert(sized(600, { id: 'version-brd1', at: '2026-03-12T07:00:00.000Z' }), limits);
      await store.insert(sized(300, { id: 'version-wsa1', boardId: WORKSPACE_VERSIONS_OWNER, at: '2026-03-12T08:00:00.000Z' }), limits, WORKSPACE_TARGET);
      await store.insert(sized(300, { id: 'version-wsn1', boardId: WORKSPACE_VERSIONS_OWNER, kind: 'named', name: 'N1', at: '2026-03-12T09:00:00.000Z' }), limits, WORKSPACE_TARGET);
      await expect(store.insert(sized(10, { id: 'version-wsn2', boardId: WORKSPACE_VERSIONS_OWNER, kind: 'named', name: 'N2' }), limits, WORKSPACE_TARGET)).rejects.toMatchObject({ limit: 'named', max: 1 });
      // 600 more bytes: the workspace's automatic version goes, the board's (another share) stays.
      expect(await store.insert(sized(600, { id: 'version-wsa2', boardId: WORKSPACE_VERSIONS_OWNER, at: '2026-03-12T10:00:00.000Z' }), limits, WORKSPACE_TARGET)).toEqual({ pruned: 1 });
      expect(await workspaceIds()).toEqual(['version-wsa2', 'version-wsn1']);
      expect((await store.list(BOARDS[0])).map((v) => v.id)).toEqual(['version-brd1']);
      await store.insert(sized(10, { id: 'version-wsa3', boardId: WORKSPACE_VERSIONS_OWNER, at: '2026-03-12T11:00:00.000Z' }), undefined, WORKSPACE_TARGET);
      expect(await store.pruneAuto(WORKSPACE_VERSIONS_OWNER, 1, WORKSPACE_TARGET)).toBe(1);
      expect(await workspaceIds()).toEqual(['version-wsa3', 'version-wsn1']);
      await opened.fixture.deleteBoard(BOARDS[0]);
      expect(await workspaceIds()).toEqual(['version-wsa3', 'version-wsn1']);
    });

    it('keeps the workspace’s versions across reopening', async (context) => {
      if (!opened.fixture.reopen) return context.skip('the in-memory store has no storage to reopen');
      const stored = workspaceVersion({ id: 'version-wsp1', kind: 'named', name: 'Before the call', boardState: Uint8Array.from({ length: 256 }, (_, i) => i) });
      await opened.fixture.store.insert(stored, undefined, WORKSPACE_TARGET);
      opened.fixture.store = await opened.fixture.reopen();
      expect(await opened.fixture.store.get(WORKSPACE_VERSIONS_OWNER, 'version-wsp1', WORKSPACE_TARGET)).toEqual(stored);
    });
  });

  it('keeps versions with their states across reopening', async (context) => {
    if (!opened.fixture.reopen) return context.skip('the in-memory store has no storage to reopen');
    const stored = version({ id: 'version-0001', kind: 'named', name: 'Before the committee', createdBy: { id: 'user-camille', name: 'Camille' } });
    await opened.fixture.store.insert(stored);
    await opened.fixture.store.insert(version({ id: 'version-0002', at: '2026-03-12T11:00:00.000Z' }));
    opened.fixture.store = await opened.fixture.reopen();
    expect(await opened.fixture.store.get(BOARDS[0], 'version-0001')).toEqual(stored);
    expect((await opened.fixture.store.list(BOARDS[0])).map((v) => v.id)).toEqual(['version-0002', 'version-0001']);
    await expect(opened.fixture.store.insert(version({ id: 'version-0001' }))).rejects.toThrow();
  });

  it('shares versions with a second store on the same storage, ids included', async (context) => {
    if (!opened.fixture.openAnother) return context.skip('this store cannot be opened twice');
    const another = await opened.fixture.openAnother();
    await opened.fixture.store.insert(version({ id: 'version-0001' }));
    expect((await another.list(BOARDS[0])).map((v) => v.id)).toEqual(['version-0001']);
    await expect(another.insert(version({ id: 'version-0001', boardId: BOARDS[1] }))).rejects.toThrow();
    await Promise.all([opened.fixture.store.insert(version({ id: 'version-0002' })), another.insert(version({ id: 'version-0003' }))]);
    for (let i = 4; i <= 8; i++) await another.insert(version({ id: `version-000${i}`, at: `2026-03-12T1${i}:00:00.000Z` }));
    // Two processes pruning at once delete each version once between them.
    const pruned = await Promise.all([opened.fixture.store.pruneAuto(BOARDS[0], 2), another.pruneAuto(BOARDS[0], 2)]);
    expect(pruned[0] + pruned[1]).toBe(6);
    expect((await opened.fixture.store.list(BOARDS[0])).map((v) => v.id)).toEqual(['version-0008', 'version-0007']);
  });

  it('keeps to the caps when two stores on the same storage insert at once', async (context) => {
    if (!opened.fixture.openAnother) return context.skip('this store cannot be opened twice');
    const another = await opened.fixture.openAnother();
    const limits = { maxNamed: 3, maxBytes: 10_000 };
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? another : opened.fixture.store).insert(sized(100, { id: `version-nam${i}`, kind: 'named', name: `N${i}`, at: `2026-03-12T1${i}:00:00.000Z` }), limits),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
    expect(await ids()).toHaveLength(3);
  });
});
