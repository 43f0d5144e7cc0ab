/** Fixtures that register Vitest hooks for the enclosing `describe` (kept apart from test-server.ts, which the benchmarks import too). */
import { afterEach, beforeEach } from 'vitest';
import type { PasserelleServer } from '../../server/src/app.js';
import type { RedisServer } from './redis-server.js';
import { startRedisPair, type ServerProcess } from './server-process.js';
import { BoardDoc, type Department } from '@passerelle/shared';
import { madeBeforeEach } from './hook-value.js';
import { syncedClient, workflowRefusals } from './sync-client.js';
import { adminToken, apiWithCookie, createBoard, memberWithCookie, peopleByKey, signInWithBoard, startTestServer, tempDataDir, type TestServerOptions } from './test-server.js';

/** The server `serverPerTest` started for the test that runs, and what to undo after it. */
export interface ServerPerTest {
  readonly server: PasserelleServer;
  readonly dataDir: string;
  /** Run after the test, last added first, before the server closes (connections, providers, sockets). */
  readonly cleanups: (() => void)[];
  /** Adds a cleanup (for helpers that take a `track` function). */
  readonly track: (cleanup: () => void) => void;
  /**
   * Runs the cleanups, closes the server, runs `offline` on its stored data, and starts it again on
   * the same data directory (with `options` over the ones `serverPerTest` was given).
   */
  restart(options?: TestServerOptions, offline?: () => Promise<void>): Promise<PasserelleServer>;
}

/**
 * Registers, in the enclosing `describe`, a fresh data directory and a server on it before each
 * test, and after it the cleanups, the server closed and the directory removed. Parts that keep
 * state (a login limiter, a store) are given by a function, so that each start gets its own.
 */
export function serverPerTest(given: TestServerOptions | (() => TestServerOptions) = {}): ServerPerTest {
  const options = typeof given === 'function' ? given : () => given;
  let data: ReturnType<typeof tempDataDir> | undefined;
  let server: PasserelleServer | undefined;
  const cleanups: (() => void)[] = [];
  const runCleanups = () => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  };
  beforeEach(async () => {
    data = tempDataDir();
    server = await startTestServer({ dataDir: data.dir, ...options() });
  });
  afterEach(async () => {
    runCleanups();
    await server?.close();
    data?.remove();
  });
  return {
    get server() {
      if (!server) throw new Error('no server: serverPerTest starts one before each test');
      return server;
    },
    get dataDir() {
      if (!data) throw new Error('no data directory: serverPerTest makes one before each test');
      return data.dir;
    },
    cleanups,
    track: (cleanup) => void cleanups.push(cleanup),
    async restart(more = {}, offline = async () => {}) {
      runCleanups();
      await server?.close();
      await offline();
      const base = options();
      server = await startTestServer({ dataDir: data!.dir, ...base, ...more, env: { ...base.env, ...more.env } });
      return server;
    },
  };
}

/** The two processes `redisPairPerTest` started for the test that runs, and what to undo after it. */
export interface RedisPairPerTest {
  readonly redis: RedisServer;
  readonly first: ServerProcess;
  readonly second: ServerProcess;
  /** Run after the test, last added first, before the processes and Redis stop. */
  readonly cleanups: (() => void)[];
  readonly track: (cleanup: () => void) => void;
}

/**
 * Registers, in the enclosing `describe`, a real Redis and two built servers on it (`startRedisPair`)
 * before each test, and after it the cleanups, then both processes and Redis stopped.
 */
export function redisPairPerTest(options: Parameters<typeof startRedisPair>[0] = {}): RedisPairPerTest {
  let pair: Awaited<ReturnType<typeof startRedisPair>> | undefined;
  const cleanups: (() => void)[] = [];
  beforeEach(async () => {
    pair = await startRedisPair(options);
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    await pair?.stop();
  });
  const started = () => {
    if (!pair) throw new Error('no processes: redisPairPerTest starts them before each test');
    return pair;
  };
  return {
    get redis() {
      return started().redis;
    },
    get first() {
      return started().first;
    },
    get second() {
      return started().second;
    },
    cleanups,
    track: (cleanup) => void cleanups.push(cleanup),
  };
}

/** The administrator signed in and a board of theirs, made before each test by `adminWithBoardPerTest`. */
export interface AdminWithBoard {
  /** The administrator's session cookie (a test that restarts the server signs in again and sets it). */
  adminCookie: string;
  readonly boardId: string;
  /** Calls the JSON API with the administrator's cookie, from the server's origin. */
  asAdmin<T>(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: T }>;
  /** A workspace member with a password, created by the administrator and signed in: their cookie and id. */
  member(email: string, departments?: string[]): Promise<{ cookie: string; id: string }>;
}

/**
 * Registers, in the enclosing `describe` and after the fixture that starts the server at
 * `serverUrl()`, the administrator's sign-in and a board titled `boardTitle` before each test.
 */
export function adminWithBoardPerTest(serverUrl: () => string, boardTitle: string): AdminWithBoard {
  const current = madeBeforeEach('signed-in administrator', () => signInWithBoard(serverUrl(), boardTitle));
  return {
    get adminCookie() {
      return current().adminCookie;
    },
    set adminCookie(cookie: string) {
      current().adminCookie = cookie;
    },
    get boardId() {
      return current().boardId;
    },
    asAdmin: (path, init = {}) => apiWithCookie(serverUrl(), current().adminCookie)(path, init),
    member: (email, departments) => memberWithCookie(serverUrl(), current().adminCookie, email, departments),
  };
}

/**
 * Registers, in the enclosing `describe` and after the fixture that starts the server at
 * `serverUrl()`, an API token of the administrator and a board made with it before each test.
 */
export function tokenWithBoardPerTest(serverUrl: () => string, boardTitle?: string): { readonly token: string; readonly boardId: string } {
  const current = madeBeforeEach('board', async () => {
    const token = await adminToken(serverUrl());
    return { token, boardId: await createBoard(serverUrl(), token, boardTitle) };
  });
  return {
    get token() {
      return current().token;
    },
    get boardId() {
      return current().boardId;
    },
  };
}

/**
 * Registers, in the enclosing `describe` and after `serverPerTest`, the people of a workflow before
 * each test: `sri` the administrator, and a member for each other key, in the departments given; and
 * a board titled `boardTitle` made by `sri`.
 */
export function peopleWithBoardPerTest(ctx: ServerPerTest, departments: Record<string, Department[]>, boardTitle: string) {
  /** People by key, with their API token. */
  const people: Record<string, { id: string; name: string; token: string }> = {};
  const board = madeBeforeEach('board', async () => {
    Object.assign(people, await peopleByKey(ctx.server.url, 'sri', departments));
    return createBoard(ctx.server.url, people.sri!.token, boardTitle);
  });
  return {
    people,
    get boardId() {
      return board();
    },
    /** A stock y-websocket client of the board for `key`, synced, with the board read through `BoardDoc`. */
    async open(key: string) {
      const client = await syncedClient(ctx.server.url, board(), people[key]!.token, ctx.track);
      return { ...client, board: new BoardDoc(client.doc) };
    },
    /** The workflow refusals the server sends `key`, as they come. */
    refusalsOf: (key: string) => workflowRefusals(ctx.server.url, people[key]!.token, ctx.track),
  };
}
