/**
 * `GET /metrics` in the Prometheus text format: who may scrape it (404 on the public port without
 * METRICS_TOKEN, 401 without the bearer, its own loopback listener with METRICS_PORT), and that what
 * it reports moves with what real clients do: stock y-websocket clients editing, a refused sync
 * connection, failed sign-ins, socket.io connections and a meeting. Embedded mode with a server in
 * this process, Redis mode with two built server processes on a redis-server the test starts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { BoardDoc, CloseCode, WORKSPACE_DOC, internalDocName, type ClientToServerEvents, type ServerToClientEvents } from '@passerelle/shared';
import type { Socket } from 'socket.io-client';
import type { PasserelleServer } from '../../server/src/app.js';
import { LoginLimiter } from '../../server/src/auth/login-limiter.js';
import { ConfigError, loadConfig } from '../../server/src/config.js';
import { startRedisPair, type RedisPair, type ServerProcess } from '../helpers/server-process.js';
import {
  adminToken,
  connectClient,
  connectedSocket,
  createBoard,
  eventually,
  rawSocket,
  sendAndAck,
  startTestServer,
  synced,
  tempDataDir,
} from '../helpers/test-server.js';

const TOKEN = 'metrics-scraper-token-0123456789';
const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/** Every metric of Passerelle's own, with its type: the contract dashboards and alerts rely on. */
const OWN_METRICS: Record<string, 'counter' | 'gauge' | 'histogram'> = {
  passerelle_open_boards: 'gauge',
  passerelle_sync_connections: 'gauge',
  passerelle_sync_updates_received_total: 'counter',
  passerelle_sync_updates_relayed_total: 'counter',
  passerelle_sync_fanout_delay_seconds: 'histogram',
  passerelle_store_append_duration_seconds: 'histogram',
  passerelle_sync_compactions_total: 'counter',
  passerelle_sync_connections_refused_total: 'counter',
  passerelle_socketio_connections: 'gauge',
  passerelle_meetings_running: 'gauge',
  passerelle_meeting_participants: 'gauge',
  passerelle_login_failures_total: 'counter',
};

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** One scrape: its samples and the `# TYPE` of each metric. */
interface Scrape {
  samples: Sample[];
  types: Map<string, string>;
  /** The value of the sample with exactly these labels; fails the test when there is none. */
  get(name: string, labels?: Record<string, string>): number;
}

/** Parses the Prometheus text format strictly: a line that is neither a comment nor a sample fails the test. */
function parseExposition(text: string): Scrape {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (line.startsWith('# HELP ')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a line of the Prometheus text format: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: sample[1]!, labels, value: Number(sample[3]) });
  }
  return {
    samples,
    types,
    get(name, labels = {}) {
      const wanted = Object.entries(labels);
      const found = samples.find(
        (s) => s.name === name && Object.keys(s.labels).length === wanted.length && wanted.every(([key, value]) => s.labels[key] === value),
      );
      if (!found) throw new Error(`no sample ${name}${JSON.stringify(labels)} in the scrape`);
      return found.value;
    },
  };
}

/** Scrapes `<base>/metrics` with the bearer token (none: without Authorization); expects 200 in the Prometheus text format. */
async function scrape(base: string, token: string | null = TOKEN): Promise<Scrape> {
  const response = await fetch(`${base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(5_000) });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(response.headers.get('content-type')).toBe(PROMETHEUS_TEXT);
  return parseExposition(text);
}

/** Polls scrapes until `check` holds for one (then returns it); fails with the last values otherwise. */
async function scrapeUntil(base: string, check: (scrape: Scrape) => boolean, what: string, token: string | null = TOKEN): Promise<Scrape> {
  let last: Scrape | undefined;
  await eventually(
    async () => {
      last = await scrape(base, token);
      try {
        return check(last);
      } catch {
        return false;
      }
    },
    10_000,
    what,
  );
  return last!;
}

/**
 * Six edits on `from` (a column, then five cards), each awaited on `to` before the next: six
 * batches, each stored then relayed. `relayed` says how an edit gets across, for the timeout message.
 */
async function sixEditsRelayed(from: Y.Doc, to: Y.Doc, relayed: string): Promise<void> {
  const boardA = new BoardDoc(from);
  const boardB = new BoardDoc(to);
  const column = boardA.addColumn('Partenaires');
  await eventually(() => boardB.listColumns().length === 1, 5_000, `the column ${relayed}`);
  for (let index = 1; index <= 5; index++) {
    boardA.addCard(column, { title: `Accord ${index}`, createdBy: 'admin' });
    await eventually(() => boardB.listCards(column).length === index, 5_000, `card ${index} ${relayed}`);
  }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(env: Record<string, string> = {}, parts: { loginLimiter?: LoginLimiter } = {}): Promise<PasserelleServer> {
  const data = tempDataDir();
  cleanups.push(data.remove);
  const started = await startTestServer({ dataDir: data.dir, env, ...parts });
  cleanups.push(() => started.close());
  return started;
}

/** A stock y-websocket client of a document, destroyed after the test. */
function client(base: string, name: string, token: string) {
  const connected = connectClient(base, name, token);
  cleanups.push(() => connected.provider.destroy());
  return connected;
}

async function socketIo(base: string, token: string): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
  return connectedSocket(base, { token }, (cleanup) => cleanups.push(cleanup));
}

describe('who may scrape /metrics', () => {
  it('without METRICS_TOKEN or METRICS_PORT, /metrics is 404 on the public port, with or without a bearer', async () => {
    const plain = await server();
    for (const headers of [{}, bearer(TOKEN)]) {
      const response = await fetch(`${plain.url}/metrics`, { headers });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('passerelle_');
    }
    expect(plain.metricsUrl).toBeNull();
  });

  it('with METRICS_TOKEN, the public port answers 401 without the bearer or with a wrong one, and the metrics to the bearer of the token', async () => {
    const guarded = await server({ METRICS_TOKEN: TOKEN });
    for (const headers of [{}, bearer('not-the-metrics-token-at-all'), bearer(`${TOKEN}x`), { authorization: `Basic ${btoa(`user:${TOKEN}`)}` }, { authorization: TOKEN }]) {
      const response = await fetch(`${guarded.url}/metrics`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await response.text()).not.toContain('passerelle_');
    }
    const response = await fetch(`${guarded.url}/metrics`, { headers: bearer(TOKEN) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(PROMETHEUS_TEXT);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const metrics = parseExposition(await response.text());
    // Every metric of ours, with its type and the passerelle_ prefix.
    for (const [name, type] of Object.entries(OWN_METRICS)) expect(metrics.types.get(name), name).toBe(type);
    // The process metrics, under prom-client's usual names.
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'process_open_fds', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_gc_duration_seconds']) {
      expect(metrics.types.has(name), name).toBe(true);
    }
    expect(metrics.get('process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('with METRICS_PORT, its own loopback listener serves /metrics and nothing else, the public port still 404; with METRICS_TOKEN too, the token is required there', async () => {
    const open = await server({ METRICS_PORT: '0' });
    expect(open.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(open.metricsUrl).not.toBe(open.url);
    expect((await fetch(`${open.url}/metrics`)).status).toBe(404);
    expect((await scrape(open.metricsUrl!, null)).types.get('passerelle_sync_connections')).toBe('gauge');
    for (const path of ['/', '/healthz', '/api/boards', '/metrics/x']) expect((await fetch(`${open.metricsUrl}${path}`)).status, path).toBe(404);
    expect((await fetch(`${open.metricsUrl}/metrics`, { method: 'POST' })).status).toBe(405);

    const both = await server({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN });
    expect((await fetch(`${both.metricsUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${both.metricsUrl}/metrics`, { headers: bearer('not-the-metrics-token-at-all') })).status).toBe(401);
    await scrape(both.metricsUrl!, TOKEN);
    await scrape(both.url, TOKEN);

    // Closing the server closes its metrics listener.
    const metricsUrl = both.metricsUrl!;
    await both.close();
    await expect(fetch(`${metricsUrl}/metrics`, { headers: bearer(TOKEN) })).rejects.toThrow();
  });

  it('each server counts apart: two servers in one process, a failed sign-in on one moves its count only, and closing one leaves the other scraping', async () => {
    const one = await server({ METRICS_TOKEN: TOKEN });
    const other = await server({ METRICS_TOKEN: TOKEN });
    const failed = await fetch(`${one.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.org', password: 'a-wrong-guess' }),
    });
    expect(failed.status).toBe(401);
    expect((await scrape(one.url)).get('passerelle_login_failures_total', { reason: 'invalid_credentials' })).toBe(1);
    expect((await scrape(other.url)).get('passerelle_login_failures_total', { reason: 'invalid_credentials' })).toBe(0);
    await one.close();
    const still = await scrape(other.url);
    expect(still.get('passerelle_login_failures_total', { reason: 'invalid_credentials' })).toBe(0);
    expect(still.get('process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('refuses a short METRICS_TOKEN and a METRICS_PORT equal to PORT, naming the variable', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ PORT: '3000', METRICS_PORT: '3000' })).toThrow(/METRICS_PORT/);
    const config = loadConfig({ METRICS_TOKEN: TOKEN, METRICS_PORT: '9464' });
    expect(config).toMatchObject({ metricsToken: TOKEN, metricsPort: 9464, metricsHost: '127.0.0.1' });
    expect(loadConfig({})).toMatchObject({ metricsToken: null, metricsPort: null });
  });
});

describe('metrics in embedded mode', () => {
  it('open boards and live connections by kind, updates received and relayed, fan-out delay, store appends and compactions move with real clients', async () => {
    const app = await server({ METRICS_TOKEN: TOKEN, COMPACT_THRESHOLD: '3', UNLOAD_DELAY_MS: '200' });
    const token = await adminToken(app.url);
    const boardId = await createBoard(app.url, token, 'Mobilité Porto');
    const before = await scrape(app.url);
    expect(before.get('passerelle_sync_connections', { kind: 'board' })).toBe(0);
    expect(before.get('passerelle_sync_updates_received_total', { source: 'client' })).toBe(0);

    const a = client(app.url, boardId, token);
    const b = client(app.url, boardId, token);
    const internal = client(app.url, internalDocName(boardId), token);
    const workspace = client(app.url, WORKSPACE_DOC, token);
    await Promise.all([a, b, internal, workspace].map(({ provider }) => synced(provider)));

    const connected = await scrape(app.url);
    expect(connected.get('passerelle_sync_connections', { kind: 'board' })).toBe(2);
    expect(connected.get('passerelle_sync_connections', { kind: 'internal' })).toBe(1);
    expect(connected.get('passerelle_sync_connections', { kind: 'workspace' })).toBe(1);
    expect(connected.get('passerelle_open_boards', { kind: 'board' })).toBe(1);
    expect(connected.get('passerelle_open_boards', { kind: 'internal' })).toBe(1);
    expect(connected.get('passerelle_open_boards', { kind: 'workspace' })).toBe(1);

    await sixEditsRelayed(a.doc, b.doc, 'reached B');
    const edited = await scrape(app.url);
    const delta = (name: string, labels?: Record<string, string>) => edited.get(name, labels) - connected.get(name, labels);
    expect(delta('passerelle_sync_updates_received_total', { source: 'client' })).toBeGreaterThanOrEqual(6);
    expect(delta('passerelle_sync_updates_received_total', { source: 'remote' })).toBe(0);
    expect(delta('passerelle_sync_updates_relayed_total')).toBeGreaterThanOrEqual(6);
    expect(delta('passerelle_sync_fanout_delay_seconds_count')).toBeGreaterThanOrEqual(6);
    expect(delta('passerelle_sync_fanout_delay_seconds_sum')).toBeGreaterThan(0);
    expect(delta('passerelle_store_append_duration_seconds_count')).toBeGreaterThanOrEqual(6);
    expect(delta('passerelle_store_append_duration_seconds_sum')).toBeGreaterThan(0);
    // Cumulative buckets: the +Inf bucket counts every observation.
    expect(edited.get('passerelle_sync_fanout_delay_seconds_bucket', { le: '+Inf' })).toBe(edited.get('passerelle_sync_fanout_delay_seconds_count'));
    // Past COMPACT_THRESHOLD (3) stored batches, the board is folded into a snapshot.
    await scrapeUntil(app.url, (s) => s.get('passerelle_sync_compactions_total') > connected.get('passerelle_sync_compactions_total'), 'a compaction');

    // Everyone leaves: the gauges fall back, and the rooms unload (UNLOAD_DELAY_MS).
    for (const { provider } of [a, b, internal, workspace]) provider.destroy();
    const left = await scrapeUntil(
      app.url,
      (s) => ['board', 'internal', 'workspace'].every((kind) => s.get('passerelle_sync_connections', { kind }) === 0 && s.get('passerelle_open_boards', { kind }) === 0),
      'connections closed and rooms unloaded',
    );
    // Counters never go back.
    expect(left.get('passerelle_sync_updates_received_total', { source: 'client' })).toBe(edited.get('passerelle_sync_updates_received_total', { source: 'client' }));
  });

  it('refused sync connections are counted by close code: 4401 for a wrong token, 1009 for a frame over MAX_FRAME_BYTES', async () => {
    const app = await server({ METRICS_TOKEN: TOKEN, MAX_FRAME_BYTES: String(64 * 1024) });
    const token = await adminToken(app.url);
    const boardId = await createBoard(app.url, token);
    const sync = `${app.url.replace(/^http/, 'ws')}/sync/${boardId}`;
    const before = await scrape(app.url);
    expect(() => before.get('passerelle_sync_connections_refused_total', { code: '4401' })).toThrow();

    const intruder = rawSocket(`${sync}?token=psl_not-a-real-token`);
    expect((await intruder.closed).code).toBe(CloseCode.Unauthorized);
    const afterUnauthorized = await scrapeUntil(app.url, (s) => s.get('passerelle_sync_connections_refused_total', { code: '4401' }) === 1, 'the 4401 counted');
    expect(() => afterUnauthorized.get('passerelle_sync_connections_refused_total', { code: '1009' })).toThrow();

    const oversized = rawSocket(`${sync}?token=${token}`);
    cleanups.push(() => oversized.socket.terminate());
    await oversized.opened;
    oversized.socket.send(new Uint8Array(64 * 1024 + 1));
    expect((await oversized.closed).code).toBe(CloseCode.MessageTooLarge);
    const after = await scrapeUntil(app.url, (s) => s.get('passerelle_sync_connections_refused_total', { code: '1009' }) === 1, 'the 1009 counted');
    expect(after.get('passerelle_sync_connections_refused_total', { code: '4401' })).toBe(1);
  });

  it('failed sign-ins are counted by reason: a wrong password, then an attempt refused while throttled', async () => {
    const app = await server({ METRICS_TOKEN: TOKEN }, { loginLimiter: new LoginLimiter({ failuresPerPair: 1, firstDelaySeconds: 60 }) });
    const signIn = (password: string) =>
      fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'nobody@example.org', password }) });
    const before = await scrape(app.url);
    expect(before.get('passerelle_login_failures_total', { reason: 'invalid_credentials' })).toBe(0);
    expect(before.get('passerelle_login_failures_total', { reason: 'too_many_attempts' })).toBe(0);

    expect((await signIn('a-wrong-guess')).status).toBe(401);
    const wrong = await scrape(app.url);
    expect(wrong.get('passerelle_login_failures_total', { reason: 'invalid_credentials' })).toBe(1);
    expect(wrong.get('passerelle_login_failures_total', { reason: 'too_many_attempts' })).toBe(0);

    expect((await signIn('another-wrong-guess')).status).toBe(429);
    const throttled = await scrape(app.url);
    expect(throttled.get('passerelle_login_failures_total', { reason: 'invalid_credentials' })).toBe(1);
    expect(throttled.get('passerelle_login_failures_total', { reason: 'too_many_attempts' })).toBe(1);
  });

  it('socket.io connections and running meetings are gauges that follow a meeting started and ended over socket.io', async () => {
    const app = await server({ METRICS_TOKEN: TOKEN });
    const token = await adminToken(app.url);
    const boardId = await createBoard(app.url, token, 'Réunion Porto');
    expect((await scrape(app.url)).get('passerelle_socketio_connections')).toBe(0);

    const facilitator = await socketIo(app.url, token);
    const observer = await socketIo(app.url, token);
    const connected = await scrape(app.url);
    expect(connected.get('passerelle_socketio_connections')).toBe(2);
    expect(connected.get('passerelle_meetings_running')).toBe(0);

    expect(await sendAndAck(facilitator, 'meeting:join', { boardId, locale: 'en' })).toEqual({ ok: true });
    expect(await sendAndAck(observer, 'meeting:join', { boardId, locale: 'fr' })).toEqual({ ok: true });
    const joined = await scrape(app.url);
    expect(joined.get('passerelle_meetings_running')).toBe(0);
    expect(joined.get('passerelle_meeting_participants')).toBe(2);

    expect(await sendAndAck(facilitator, 'meeting:start', { boardId })).toEqual({ ok: true });
    const running = await scrape(app.url);
    expect(running.get('passerelle_meetings_running')).toBe(1);
    expect(running.get('passerelle_meeting_participants')).toBe(2);

    expect(await sendAndAck(facilitator, 'meeting:end', { boardId })).toEqual({ ok: true });
    expect((await scrape(app.url)).get('passerelle_meetings_running')).toBe(0);

    facilitator.disconnect();
    observer.disconnect();
    const gone = await scrapeUntil(app.url, (s) => s.get('passerelle_socketio_connections') === 0 && s.get('passerelle_meeting_participants') === 0, 'sockets gone');
    expect(gone.get('passerelle_meetings_running')).toBe(0);
  });
});

describe('metrics in Redis mode', () => {
  let pair: RedisPair | undefined;
  afterEach(async () => {
    await pair?.stop();
    pair = undefined;
  });

  /** The URL a process logged for its METRICS_PORT listener. */
  function metricsUrlOf(node: ServerProcess): string {
    for (const line of node.output.split('\n')) {
      try {
        const record = JSON.parse(line) as { msg?: string; url?: string };
        if (record.msg === 'metrics are served on their own port' && record.url) return record.url.replace(/\/metrics$/, '');
      } catch {
        // Not a log line.
      }
    }
    throw new Error(`no metrics listener in the output:\n${node.output}`);
  }

  it('two processes on one Redis each count their own: stored and relayed updates, remote ones, connections, refusals, sign-ins, socket.io and a meeting seen from both; /readyz is ready on both', async () => {
    pair = await startRedisPair({ keyPrefix: 'metrics:', env: { METRICS_TOKEN: TOKEN, METRICS_PORT: '0', COMPACT_THRESHOLD: '3' } });
    const { first, second } = pair;
    for (const node of [first, second]) {
      const ready = await fetch(`${node.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
      // Both the public port and the process's own listener answer the bearer only.
      expect((await fetch(`${node.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${metricsUrlOf(node)}/metrics`)).status).toBe(401);
      await scrape(metricsUrlOf(node));
    }

    const token = await adminToken(first.url);
    const boardId = await createBoard(first.url, token, 'Réseau des écoles');
    // A on the first process; once the board is loaded and migrated there, B on the second.
    const a = client(first.url, boardId, token);
    await synced(a.provider);
    const b = client(second.url, boardId, token);
    await synced(b.provider);
    const firstBefore = await scrape(first.url);
    const secondBefore = await scrape(second.url);
    for (const before of [firstBefore, secondBefore]) {
      expect(before.get('passerelle_sync_connections', { kind: 'board' })).toBe(1);
      expect(before.get('passerelle_open_boards', { kind: 'board' })).toBe(1);
    }

    await sixEditsRelayed(a.doc, b.doc, 'crossed to the second process');
    const firstAfter = await scrape(first.url);
    const secondAfter = await scrape(second.url);
    const moved = (after: Scrape, before: Scrape, name: string, labels?: Record<string, string>) => after.get(name, labels) - before.get(name, labels);

    // The first process received A's updates and stored each batch; it had no one to relay them to.
    expect(moved(firstAfter, firstBefore, 'passerelle_sync_updates_received_total', { source: 'client' })).toBeGreaterThanOrEqual(6);
    expect(moved(firstAfter, firstBefore, 'passerelle_store_append_duration_seconds_count')).toBeGreaterThanOrEqual(6);
    expect(moved(firstAfter, firstBefore, 'passerelle_sync_updates_relayed_total')).toBe(0);
    // The second process received them from the first through Redis, stored none again, and relayed each to B.
    expect(moved(secondAfter, secondBefore, 'passerelle_sync_updates_received_total', { source: 'remote' })).toBeGreaterThanOrEqual(6);
    expect(moved(secondAfter, secondBefore, 'passerelle_sync_updates_received_total', { source: 'client' })).toBe(0);
    expect(moved(secondAfter, secondBefore, 'passerelle_store_append_duration_seconds_count')).toBe(0);
    expect(moved(secondAfter, secondBefore, 'passerelle_sync_updates_relayed_total')).toBeGreaterThanOrEqual(6);
    expect(moved(secondAfter, secondBefore, 'passerelle_sync_fanout_delay_seconds_count')).toBeGreaterThanOrEqual(6);
    await scrapeUntil(first.url, (s) => s.get('passerelle_sync_compactions_total') > firstBefore.get('passerelle_sync_compactions_total'), 'a compaction on the first process');

    // A wrong token on the second process is refused there, and counted there only.
    const intruder = rawSocket(`${second.url.replace(/^http/, 'ws')}/sync/${boardId}?token=psl_not-a-real-token`);
    expect((await intruder.closed).code).toBe(CloseCode.Unauthorized);
    await scrapeUntil(second.url, (s) => s.get('passerelle_sync_connections_refused_total', { code: '4401' }) === 1, 'the 4401 counted on the second process');
    const firstNow = await scrape(first.url);
    expect(() => firstNow.get('passerelle_sync_connections_refused_total', { code: '4401' })).toThrow();

    // A failed sign-in on the second process.
    const failed = await fetch(`${second.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.org', password: 'a-wrong-guess' }),
    });
    expect(failed.status).toBe(401);
    expect((await scrape(second.url)).get('passerelle_login_failures_total', { reason: 'invalid_credentials' })).toBe(1);
    expect((await scrape(first.url)).get('passerelle_login_failures_total', { reason: 'invalid_credentials' })).toBe(0);

    // A meeting started on the first process is running for the participant on the second too.
    const facilitator = await socketIo(first.url, token);
    const participant = await socketIo(second.url, token);
    expect((await scrape(first.url)).get('passerelle_socketio_connections')).toBe(1);
    expect((await scrape(second.url)).get('passerelle_socketio_connections')).toBe(1);
    expect(await sendAndAck(facilitator, 'meeting:join', { boardId, locale: 'en' })).toEqual({ ok: true });
    expect(await sendAndAck(participant, 'meeting:join', { boardId, locale: 'fr' })).toEqual({ ok: true });
    expect(await sendAndAck(facilitator, 'meeting:start', { boardId })).toEqual({ ok: true });
    expect((await scrape(first.url)).get('passerelle_meetings_running')).toBe(1);
    await scrapeUntil(second.url, (s) => s.get('passerelle_meetings_running') === 1 && s.get('passerelle_meeting_participants') === 1, 'the meeting running on the second process');
    expect(await sendAndAck(facilitator, 'meeting:end', { boardId })).toEqual({ ok: true });
    await scrapeUntil(second.url, (s) => s.get('passerelle_meetings_running') === 0, 'the meeting ended on the second process');
    expect((await scrape(first.url)).get('passerelle_meetings_running')).toBe(0);
  });
});
