/**
 * Passerelle's sync server against the reference y-websocket server (`@y/websocket-server` 0.1.1,
 * LevelDB persistence on), both started as separate processes in the same invocation and driven by
 * stock `y-websocket` clients, runs interleaved (Passerelle, reference, Passerelle, ...) so that the
 * machine's drift affects both alike. Prints a table per scenario with Passerelle/reference ratios,
 * and one JSON line per scenario.
 *
 *   npm run build && node --import tsx bench/sync-vs-reference.ts [flags]
 *
 * Flags (all optional):
 *   --scenario LIST   comma-separated, from fanout50, fanout200, writers200obs10, reload5000, unload500, redis50 (default: all)
 *   --runs N          interleaved runs per server and scenario (default 3)
 *   --duration S      measured seconds of each fan-out run, after 3 s of warm-up (default 30)
 *   --workers N       driver processes holding the clients (default 1 up to 50 clients, else 2)
 *   --observers N     clients that apply every update and measure latency (default: every client
 *                     up to 50 clients, else 8, spread evenly over the clients; see fanout-driver.ts)
 *   --pin             the server under test gets CPU 0 to itself; the drivers and this process run
 *                     on the other CPUs (`taskset`, Linux), so the clients never take the server's
 *                     core; with 2 cores the drivers then have one core between them, and a run
 *                     where they fall behind is flagged DRIVER-BOUND
 *   --only KIND       passerelle or reference (with --baseline: passerelle or baseline): run one
 *                     server alone (no ratios)
 *   --baseline MAIN   another build of Passerelle takes the reference's place in the fan-out and
 *                     reload scenarios: MAIN is the `server/dist/main.js` of another checkout, built
 *                     and installed there (`npm ci && npm run build`); it runs in place, from that
 *                     checkout's root, so its own packages (native ones included) and its own
 *                     `web/build` are used. Runs interleave as with the reference (Passerelle,
 *                     baseline, Passerelle, ...) and the ratios are this build / the baseline.
 *                     unload500 and redis50 run as without it (against the reference, on Redis).
 *   --baseline-node BIN  Node.js binary for the baseline (default `BENCH_BASELINE_NODE`, else the
 *                     one running the benchmark): the one its packages were installed with, e.g. to
 *                     compare this build on a new Node.js against an older build on the old one
 *   --profile DIR     `--cpu-prof` of both servers (fan-out and reload scenarios; DIR/<server>/, one
 *                     file per server process, restarts included) and of the driver processes
 *                     (DIR/drivers-<server>/)
 *   --loop-delay      each server (both kinds) reports, every second, how late its event loop ran and its
 *                     GC pauses (`loop-hook.mjs`); each fan-out run then prints the worst of its window
 *   --cycles N        open/close cycles of unload500 (default 2)
 *   --watchers-with-writers  writers200obs10's watchers share the writers' driver processes instead
 *                     of having one of their own (how the scenario first measured)
 *
 * Environment: `BENCH_PASSERELLE_BUILD=<path to a main.js>` benchmarks another build of Passerelle
 * than `server/dist/main.js` (copied next to this checkout's packages; to compare two builds in one
 * invocation, `--baseline` is the way). `BENCH_BASELINE_NODE=<node binary>`: as `--baseline-node`.
 * `BENCH_PASSERELLE_ENV` and `BENCH_PASSERELLE_NODE_ARGS` apply to both Passerelle servers alike.
 *
 * E.g. this checkout on Node 24 against an older checkout's build on Node 20:
 *   node --import tsx bench/sync-vs-reference.ts --scenario fanout50,reload5000 \
 *     --baseline ../before/server/dist/main.js --baseline-node /usr/bin/node
 *
 * Scenarios (issue 5):
 * - fanout50, fanout200: N clients on one board, each editing its own card at 2 Hz for `--duration`
 *   seconds (after 3 s of warm-up); latency from the edit to its arrival at every observer client;
 *   server CPU (utime + stime from /proc), server CPU per 1,000 edits made (comparable between runs
 *   whose drivers made different numbers of edits; a server that falls behind does part of the
 *   window's work after it, so its figure is then a floor) and peak RSS over the measured window.
 * - writers200obs10: the other way of measuring 200 clients: every writer a stock replica (applies
 *   every update, as a browser does), and 10 more clients that never edit, connected after every
 *   writer (the last of the room's connections), measure, from a driver process of their own (a
 *   person's device is not shared with a hundred other clients). fanout200's 8 measuring clients are
 *   writers spread over the connection order and the 192 others drop updates; here the drivers
 *   need much more CPU, on the same cores as the server.
 * - reload5000: a 5,000-card board is written, the server restarted, and a fresh client timed from
 *   connecting to holding all 5,000 cards. The same client work without any server, applying the
 *   whole board as one update to an empty document in this process, is timed next to it: no server
 *   can make a fresh client faster than that.
 * - unload500: 500 boards opened (a few cards written to each) and closed; server memory after a
 *   forced full GC, before and after.
 * - redis50: Redis mode (a redis-server with AOF, fsync every second, started for the run). Two
 *   Passerelle processes on it; 50 clients at 2 Hz as in fanout50, split over both processes (each
 *   driver process holds the clients of one server, so half of the deliveries cross processes
 *   through Redis), interleaved with runs where all 50 are on one of them. The ratio is two
 *   processes against one: the target is ×2 at most. Server CPU adds up both processes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, setPriority, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { BoardDoc } from '@passerelle/shared';
import { startRedisServer } from '../test/helpers/redis-server.js';
import { eventually, stockClient, synced } from '../test/helpers/stock-client.js';
import { api, createBoard, login } from '../test/helpers/test-server.js';
import { writeBenchBoard } from './lib/board-content.js';
import { LatencyHistogram } from './lib/histogram.js';
import { monotonicMs } from './lib/clock.js';
import { SLOW_MS, type DriverReport } from './lib/fanout-driver.js';
import { LOOP_HOOK, ProcessSampler, SERVER_NICE, nodeVersion, pinProcess, snapshotPasserelleBuild, startPasserelle, startReference, type BaselineBuild, type BenchServer, type MemoryReading } from './lib/servers.js';

/**
 * Scheduling priority of the driver processes (`nice`): below the servers (`SERVER_NICE`, -5) so
 * that the server under test gets the CPU first, and above unrelated work at the normal priority
 * (0), which would otherwise slow the clients and add their queueing to the measured latency.
 * (Priorities only weigh within one scheduling group: work in other containers is not held back.)
 */
const DRIVER_NICE = -2;
/**
 * writers200obs10's priorities. Its 200 stock replicas need more CPU than the two cores have left
 * (about 1.6 cores while the server takes 0.3): they are the load, and the people measuring are
 * the watchers, each standing for a device of their own. So the watchers' driver runs at the
 * server's priority and the writers' drivers at the normal one (`LOAD_NICE`); they still have to
 * make 95% of their edits for the run to count. At -2 the writers' drivers held the server's event
 * loop back by up to 150 ms in some seconds, and those seconds made the run's tail.
 */
const WATCHER_NICE = SERVER_NICE;
const LOAD_NICE = 0;
const DRIVER = fileURLToPath(new URL('./lib/fanout-driver.ts', import.meta.url));

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const ALL_SCENARIOS = ['fanout50', 'fanout200', 'writers200obs10', 'reload5000', 'unload500', 'redis50'] as const;
type Scenario = (typeof ALL_SCENARIOS)[number];
const scenarios = (option('scenario')?.split(',') ?? [...ALL_SCENARIOS]) as Scenario[];
for (const scenario of scenarios) if (!ALL_SCENARIOS.includes(scenario)) throw new Error(`unknown scenario ${scenario}`);
const runs = Number(option('runs')) || 3;
const durationSeconds = Number(option('duration')) || 30;
const workersOption = Number(option('workers')) || undefined;
/** Directory for `--cpu-prof` profiles of both servers (fan-out scenarios), when given. */
const profileDir = option('profile');
/** With `--loop-delay`: each server reports its event-loop delay and GC pauses every second (`loop-hook.mjs`). */
const loopDelay = process.argv.includes('--loop-delay');
/** With `--pin`: the CPUs of the server under test, and of everything else of the benchmark. */
const pin = process.argv.includes('--pin');
const SERVER_CPUS = '0';
const CLIENT_CPUS = `1-${Math.max(1, availableParallelism() - 1)}`;
const WARMUP_MS = 3_000;
/** With `--baseline`: the other build of Passerelle that takes the reference's place. */
const baselineMain = option('baseline');
const baseline: BaselineBuild | undefined = baselineMain
  ? { main: resolve(baselineMain), node: option('baseline-node') ?? process.env.BENCH_BASELINE_NODE ?? process.execPath }
  : undefined;
/** How long the fan-out waits for the last edits to arrive before counting them as missing. */
const DRAIN_MS = 15_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value)} ms` : '∞');
const ratio = (subject: number, reference: number) => (reference > 0 && Number.isFinite(subject) && Number.isFinite(reference) ? `×${(subject / reference).toFixed(2)}` : 'n/a');
const label = (kind: string) => (kind === 'passerelle' ? 'Passerelle' : kind);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** The two servers and what a client needs to reach a new board on each. */
interface Subject {
  server: BenchServer;
  /** How the tables name it (default: the server's kind). */
  label?: string;
  /** Sync URLs the driver processes connect to, driver i to `syncUrls[i % n]` (default: the server's). */
  syncUrls?: string[];
  /** Other processes serving the same boards (Redis mode): their CPU and memory count with the server's. */
  otherServers?: BenchServer[];
  /** Passerelle API token; undefined for the reference. */
  token?: string;
  /** A new, empty board (Passerelle: created through the API; reference: a new room name). */
  newBoard(title: string): Promise<string>;
}

async function passerelleSubject(server: BenchServer): Promise<Subject> {
  const cookie = await login(server.url);
  const { body } = await api<{ token: string }>(server.url, '/api/tokens', { method: 'POST', body: { name: 'bench' }, cookie });
  return {
    server,
    token: body.token,
    newBoard: (title) => createBoard(server.url, body.token, title),
  };
}

function referenceSubject(server: BenchServer): Subject {
  let counter = 0;
  return { server, newBoard: async () => `bench-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}` };
}

/** A stock client of `room` on the subject's server (by API token on Passerelle). */
const connect = (subject: Subject, room: string, doc = new Y.Doc()) => stockClient(subject.server.syncUrl, room, { doc, params: subject.token ? { token: subject.token } : {} });
const whenSynced = (provider: WebsocketProvider, timeoutMs = 30_000) => synced(provider, timeoutMs);
/** Polls every 10 ms, the resolution of the timings that end when `check` holds. */
const until = (check: () => boolean, timeoutMs: number, what: string) => eventually(check, timeoutMs, what, 10);

/** Waits for a message of `type` from a driver process. */
function nextMessage<T>(child: ChildProcess, type: string, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`driver sent no ${type}`)), timeoutMs);
    const onMessage = (message: { type: string; message?: string }) => {
      if (message.type === 'error') {
        clearTimeout(timer);
        child.off('message', onMessage);
        reject(new Error(message.message));
      } else if (message.type === type) {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message as T);
      }
    };
    child.on('message', onMessage);
  });
}

// ---------------------------------------------------------------------------------------------
// Fan-out: N clients editing one board at 2 Hz each.

interface FanoutRun {
  server: string;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  samples: number;
  /** Deliveries expected in the window and never seen (each counted as slower than every other). */
  missing: number;
  /** Server CPU over the measured window, in cores. */
  serverCpu: number;
  /** Server CPU time per 1,000 edits made in the window, in ms. */
  serverCpuPerKiloEdit: number;
  serverPeakRss: number;
  /** CPU of the driver processes (the clients) over the window, in cores. */
  driversCpu: number;
  /** p99 of how late the drivers made their edits against schedule. */
  sendLagP99: number;
  /** Share of the scheduled edits the drivers made in the window (below 0.95: the drivers, not the server, set the pace). */
  sentShare: number;
  /** Cores busy on the whole machine during the window (2 = saturated), including other people's work. */
  machineBusy: number;
  /** With `--loop-delay`: the server's worst event-loop delay and GC pauses over the window (ms), else NaN. */
  loopMax: number;
  gcMax: number;
  gcMajorMax: number;
  /** Seconds of the window in which the event loop ran over 50 ms late. */
  loopStalls: number;
  /** Deliveries over `SLOW_MS` per second of the window, every observer together. */
  slowBySecond: number[];
  receivedBySecond: number[];
  /** With `--loop-delay`: the server's worst event-loop delay in each second of the window (ms). */
  loopMaxBySecond: number[];
  /** With `--loop-delay`: the server's heap in use at the window's first and last second (MiB), else NaN. */
  heapUsedMiB: { first: number; last: number };
  latency: LatencyHistogram;
}

/**
 * Who receives in a fan-out run besides the writers. `observers` of the writers measure (full
 * replicas); the other writers are sinks, or with `replicas` stock replicas too; `watchers` more
 * clients, connected after every writer, never edit and measure (full replicas).
 */
interface FanoutShape {
  observers: number;
  watchers: number;
  replicas: boolean;
  /**
   * Whether the watchers run in a driver process of their own (the default; `--watchers-with-writers`
   * spreads them over the writers' drivers instead). Each watcher stands for a person on their own
   * device: sharing an event loop with a hundred stock replicas that each apply every update, it
   * measured that loop's lag (85–479 ms at p99 on 2 cores) as much as the server.
   */
  watchersApart: boolean;
}

async function fanoutRun(subject: Subject, clients: number, workers: number, shape: FanoutShape): Promise<FanoutRun> {
  const { observers, watchers, replicas, watchersApart } = shape;
  const room = await subject.newBoard(`Fan-out ${clients}`);
  // One column and one card per client, written by a setup client.
  const setup = connect(subject, room);
  await whenSynced(setup.provider);
  const board = new BoardDoc(setup.doc);
  const columnId = board.addColumn('Bench');
  const cardIds: string[] = [];
  setup.doc.transact(() => {
    for (let i = 0; i < clients; i++) cardIds.push(board.addCard(columnId, { title: `Carte ${i}`, description: '', createdBy: 'bench' }));
  });

  // Default profile names (CPU.<date>.<pid>.<thread>...) are unique per process and thread.
  const driverProfile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, `drivers-${subject.server.kind}`)] : [];
  // With the watchers apart, one more driver holds them alone, after the writers' `workers`.
  const apart = watchers > 0 && watchersApart;
  const drivers = Array.from({ length: workers + (apart ? 1 : 0) }, () => fork(DRIVER, [], { execArgv: ['--import', 'tsx', ...driverProfile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  // The drivers yield the CPU to the server under test (which runs at SERVER_NICE): on a 2-core
  // machine shared with other work, a server that must compete with its own clients for a core
  // measures the machine rather than itself. Both servers are treated alike.
  drivers.forEach((driver, index) => {
    // The watchers' own driver stands for the people watching, each on a device of their own: it
    // yields to no one but the server (it needs a tenth of a core), while writers that are stock
    // replicas, the load, yield to both.
    setPriority(driver.pid!, index >= workers ? WATCHER_NICE : replicas ? LOAD_NICE : DRIVER_NICE);
    if (pin) pinProcess(driver.pid!, CLIENT_CPUS);
  });
  try {
    await Promise.all(drivers.map((driver) => nextMessage(driver, 'started')));
    const perDriver = Math.ceil(clients / workers);
    // Observers spread evenly over the writers' drivers, `observers` in all.
    const observersOf = (driver: number) => (driver >= workers ? 0 : Math.floor(observers / workers) + (driver < observers % workers ? 1 : 0));
    const ready = drivers.map((driver) => nextMessage(driver, 'ready'));
    drivers.forEach((driver, index) =>
      driver.send({ type: 'setup', syncUrl: subject.syncUrls?.[index % subject.syncUrls.length] ?? subject.server.syncUrl, room, token: subject.token, cardIds: cardIds.slice(index * perDriver, (index + 1) * perDriver), hz: 2, observers: observersOf(index), replicas }),
    );
    await Promise.all(ready);
    // Watchers connected once every writer is: in their own driver, or spread over the writers'.
    const watchersOf = (driver: number) => (apart ? (driver === workers ? watchers : 0) : Math.floor(watchers / workers) + (driver < watchers % workers ? 1 : 0));
    if (watchers > 0) {
      const watching = drivers.map((driver) => nextMessage(driver, 'watching'));
      drivers.forEach((driver, index) => driver.send({ type: 'watch', count: watchersOf(index) }));
      await Promise.all(watching);
    }
    setup.provider.destroy();
    // Let the connection burst (awareness of every newcomer to everyone) settle.
    await sleep(1_000);

    const at = monotonicMs() + 200;
    const windowStart = at + WARMUP_MS;
    const windowEnd = windowStart + durationSeconds * 1000;
    for (const driver of drivers) driver.send({ type: 'start', at, windowStart, windowEnd });
    await sleep(windowStart - monotonicMs());
    const serverPids = [subject.server, ...(subject.otherServers ?? [])].map((server) => server.pid);
    const sampler = new ProcessSampler([...serverPids, ...drivers.map((driver) => driver.pid!)]);
    sampler.start();
    await sleep(windowEnd - monotonicMs());
    const usage = sampler.stop();
    const machineBusy = sampler.machineBusyCores;
    const loop = [subject.server, ...(subject.otherServers ?? [])].flatMap((server) => server.loopSeconds(windowStart, windowEnd));
    const worst = (key: 'max' | 'gcMax' | 'gcMajorMax') => (loop.length > 0 ? Math.max(...loop.map((second) => second[key])) : Number.NaN);

    // Drain: wait until every client has every other client's edits, or give up.
    const drainDeadline = Date.now() + DRAIN_MS;
    for (;;) {
      const progress = await Promise.all(
        drivers.map((driver) => {
          const reply = nextMessage<{ sentTotal: number; receivedTotal: number; sentByObservers: number }>(driver, 'progress');
          driver.send({ type: 'progress' });
          return reply;
        }),
      );
      const sent = progress.reduce((total, p) => total + p.sentTotal, 0);
      const received = progress.reduce((total, p) => total + p.receivedTotal, 0);
      const sentByObservers = progress.reduce((total, p) => total + p.sentByObservers, 0);
      const observerCount = watchers + drivers.reduce((count, _, index) => count + Math.min(observersOf(index), cardIds.slice(index * perDriver, (index + 1) * perDriver).length), 0);
      if (received >= sent * observerCount - sentByObservers || Date.now() > drainDeadline) break;
      await sleep(250);
    }

    const reports = await Promise.all(
      drivers.map((driver) => {
        const reply = nextMessage<DriverReport>(driver, 'report');
        driver.send({ type: 'report' });
        return reply;
      }),
    );
    const latency = new LatencyHistogram();
    const sendLag = new LatencyHistogram();
    let sentInWindow = 0;
    let receivedInWindow = 0;
    const slowBySecond = Array.from({ length: durationSeconds }, () => 0);
    const receivedBySecond = Array.from({ length: durationSeconds }, () => 0);
    for (const report of reports) {
      report.slowBySecond.forEach((count, second) => (slowBySecond[second] = (slowBySecond[second] ?? 0) + count));
      report.receivedBySecond.forEach((count, second) => (receivedBySecond[second] = (receivedBySecond[second] ?? 0) + count));
      latency.merge(report.latency);
      sendLag.merge(report.sendLag);
      sentInWindow += report.sentInWindow;
      receivedInWindow += report.receivedInWindow;
    }
    // Every observer should see every edit in the window but its own.
    const observerCount = watchers + drivers.reduce((count, _, index) => count + Math.min(observersOf(index), cardIds.slice(index * perDriver, (index + 1) * perDriver).length), 0);
    const missing = Math.max(0, sentInWindow * observerCount - sentInWindowByObservers(reports) - receivedInWindow);
    // Every process serving the board: CPU adds up, peak memory is the largest one's.
    const serverUsage = serverPids
      .map((pid) => usage.get(pid)!)
      .reduce((total, one) => ({ cpu: total.cpu + one.cpu, peakRss: Math.max(total.peakRss, one.peakRss) }), { cpu: 0, peakRss: 0 });
    return {
      server: subject.label ?? subject.server.kind,
      p50: latency.quantile(0.5, missing),
      p95: latency.quantile(0.95, missing),
      p99: latency.quantile(0.99, missing),
      max: missing > 0 ? Number.POSITIVE_INFINITY : latency.max,
      samples: latency.total,
      missing,
      serverCpu: serverUsage.cpu,
      serverCpuPerKiloEdit: sentInWindow > 0 ? (serverUsage.cpu * durationSeconds * 1000 * 1000) / sentInWindow : Number.NaN,
      serverPeakRss: serverUsage.peakRss,
      driversCpu: drivers.reduce((total, driver) => total + usage.get(driver.pid!)!.cpu, 0),
      sendLagP99: sendLag.quantile(0.99),
      machineBusy,
      sentShare: sentInWindow / (clients * 2 * durationSeconds),
      loopMax: worst('max'),
      gcMax: worst('gcMax'),
      gcMajorMax: worst('gcMajorMax'),
      loopStalls: loop.filter((second) => second.max > 50).length,
      slowBySecond,
      receivedBySecond,
      loopMaxBySecond: loop.map((second) => second.max),
      heapUsedMiB: { first: loop[0]?.heapUsedMiB ?? Number.NaN, last: loop.at(-1)?.heapUsedMiB ?? Number.NaN },
      latency,
    };
  } finally {
    for (const driver of drivers) if (driver.connected) driver.send({ type: 'close' });
    await Promise.all(drivers.map((driver) => (driver.exitCode === null ? new Promise((resolve) => driver.once('exit', resolve)) : null)));
    setup.provider.destroy();
  }
}

/** Edits the observers made in the window: an observer does not receive its own. */
function sentInWindowByObservers(reports: DriverReport[]): number {
  return reports.reduce((total, report) => total + report.sentInWindowByObservers, 0);
}

async function fanout(name: Scenario, clients: number, subjects: Subject[], minWorkers = 1, others: Partial<FanoutShape> = {}): Promise<void> {
  const workers = workersOption ?? Math.max(minWorkers, clients > 50 ? 2 : 1);
  // Up to 50 clients every client is a full replica and an observer; beyond that 8 are (see
  // fanout-driver.ts): each applies every update, 400 a second with 200 clients, and 20 of them
  // took a core of their own on the reference's runs, which send every update on its own.
  const observers = others.observers ?? (Number(option('observers')) || (clients > 50 ? 8 : clients));
  const shape: FanoutShape = { observers, watchers: others.watchers ?? 0, replicas: others.replicas ?? false, watchersApart: !process.argv.includes('--watchers-with-writers') };
  const who = shape.watchers > 0
    ? `${shape.replicas ? 'every writer a stock replica' : 'writers as sinks'}, ${shape.watchers} watchers (replicas that never edit, connected last) measuring, ${shape.watchersApart ? 'in a driver process of their own' : "in the writers' driver processes"}`
    : `${observers} full observer clients`;
  console.log(`\n## ${name}: ${clients} clients on one board, 2 Hz each, ${durationSeconds} s measured (after ${WARMUP_MS / 1000} s warm-up), ${runs} interleaved runs, ${workers} driver process(es), ${who}`);
  const results: FanoutRun[] = [];
  for (let run = 0; run < runs; run++) {
    for (const subject of subjects) {
      const result = await fanoutRun(subject, clients, workers, shape);
      results.push(result);
      console.log(
        `  run ${run + 1} ${result.server.padEnd(10)} p50 ${ms(result.p50)}, p95 ${ms(result.p95)}, p99 ${ms(result.p99)}, max ${ms(result.max)}` +
          `, missing ${result.missing}/${result.samples + result.missing}, server CPU ${(result.serverCpu * 100).toFixed(0)}% (${result.serverCpuPerKiloEdit.toFixed(0)} ms per 1,000 edits)` +
          `, RSS ${mib(result.serverPeakRss)}, drivers CPU ${(result.driversCpu * 100).toFixed(0)}%, driver lag p99 ${ms(result.sendLagP99)}, machine busy ${result.machineBusy.toFixed(2)} cores, edits made ${(result.sentShare * 100).toFixed(0)}% of schedule` +
          (loopDelay ? `, loop delay max ${ms(result.loopMax)} (${result.loopStalls} s over 50 ms), GC pause max ${ms(result.gcMax)} (major ${ms(result.gcMajorMax)})` : '') +
          `${result.sentShare < 0.95 ? ' (DRIVER-BOUND: not a valid server measurement)' : ''}`,
      );
      if (result.slowBySecond.some((count) => count > 0)) {
        const share = (count: number, second: number) => `${((100 * count) / Math.max(1, result.receivedBySecond[second] ?? 0)).toFixed(1)}%`;
        console.log(`        over ${SLOW_MS} ms, per second of the window (by when the edit was made): ${result.slowBySecond.map(share).join(' ')}`);
        if (result.loopMaxBySecond.length > 0) console.log(`        server's event loop, worst delay per second: ${result.loopMaxBySecond.map((delay) => delay.toFixed(0)).join(' ')} ms`);
      }
      if (Number.isFinite(result.heapUsedMiB.first)) console.log(`        server's heap in use over the window: ${result.heapUsedMiB.first.toFixed(0)} to ${result.heapUsedMiB.last.toFixed(0)} MiB`);
      await sleep(2_000);
    }
  }
  const summary = (kind: string) => {
    const mine = results.filter((r) => r.server === kind);
    const merged = new LatencyHistogram();
    for (const r of mine) merged.merge(r.latency);
    const missing = mine.reduce((total, r) => total + r.missing, 0);
    return {
      p50: merged.quantile(0.5, missing),
      p95: merged.quantile(0.95, missing),
      p99: merged.quantile(0.99, missing),
      max: missing > 0 ? Number.POSITIVE_INFINITY : merged.max,
      runP99s: mine.map((r) => Math.round(r.p99 * 10) / 10),
      missing,
      samples: merged.total,
      serverCpu: median(mine.map((r) => r.serverCpu)),
      serverCpuPerKiloEdit: median(mine.map((r) => r.serverCpuPerKiloEdit)),
      serverPeakRssMiB: Math.round(Math.max(...mine.map((r) => r.serverPeakRss)) / 1024 / 1024),
      driversCpu: median(mine.map((r) => r.driversCpu)),
      sendLagP99: Math.max(...mine.map((r) => r.sendLagP99)),
      machineBusy: median(mine.map((r) => r.machineBusy)),
      minSentShare: Math.min(...mine.map((r) => r.sentShare)),
    };
  };
  const kinds = [...new Set(results.map((result) => result.server))];
  const summaries = new Map(kinds.map((kind) => [kind, summary(kind)]));
  console.log(`\n| ${name} (all runs merged) | p50 | p95 | p99 | max | missing | server CPU (median) | server CPU per 1,000 edits | server peak RSS | drivers CPU | machine busy |`);
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [kind, s] of summaries) {
    console.log(`| ${label(kind)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ${s.missing} of ${s.samples + s.missing} | ${(s.serverCpu * 100).toFixed(0)}% | ${ms(s.serverCpuPerKiloEdit)} | ${s.serverPeakRssMiB} MiB | ${(s.driversCpu * 100).toFixed(0)}% | ${s.machineBusy.toFixed(2)} cores |`);
  }
  // The first subject against the second: Passerelle against the reference, or (redis50) across
  // processes against one process.
  const p = summaries.get(kinds[0]!);
  const r = kinds[1] === undefined ? undefined : summaries.get(kinds[1]);
  if (p && r) {
    console.log(`| ratio | ${ratio(p.p50, r.p50)} | ${ratio(p.p95, r.p95)} | ${ratio(p.p99, r.p99)} | ${ratio(p.max, r.max)} | | ${ratio(p.serverCpu, r.serverCpu)} | ${ratio(p.serverCpuPerKiloEdit, r.serverCpuPerKiloEdit)} | ${ratio(p.serverPeakRssMiB, r.serverPeakRssMiB)} | | |`);
  }
  const round = (s: ReturnType<typeof summary>) => ({ ...s, p50: +s.p50.toFixed(2), p95: +s.p95.toFixed(2), p99: +s.p99.toFixed(2), max: Number.isFinite(s.max) ? +s.max.toFixed(2) : null, serverCpu: +s.serverCpu.toFixed(3), serverCpuPerKiloEdit: +s.serverCpuPerKiloEdit.toFixed(1), driversCpu: +s.driversCpu.toFixed(3), sendLagP99: +s.sendLagP99.toFixed(2), machineBusy: +s.machineBusy.toFixed(2), minSentShare: +s.minSentShare.toFixed(3) });
  console.log(
    JSON.stringify({
      bench: 'sync-vs-reference',
      scenario: name,
      clients,
      hz: 2,
      durationSeconds,
      runs,
      workers,
      observers,
      [kinds[0] ?? 'none']: p && round(p),
      ...(kinds[1] === undefined ? {} : { [kinds[1]]: r && round(r) }),
      ratios: p && r ? { p99: +(p.p99 / r.p99).toFixed(3), serverCpu: +(p.serverCpu / r.serverCpu).toFixed(3), serverCpuPerKiloEdit: +(p.serverCpuPerKiloEdit / r.serverCpuPerKiloEdit).toFixed(3) } : undefined,
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Reload: a 5,000-card board after a restart.

const RELOAD_CARDS = 5_000;

/** Writes a board of `cards` cards (a third proposals), 100 cards per transaction, and waits until the server holds it all. */
async function seedLargeBoard(subject: Subject, cards: number): Promise<string> {
  const room = await subject.newBoard(`Reload ${cards}`);
  const { doc, provider } = connect(subject, room);
  await whenSynced(provider);
  await writeBenchBoard(doc, cards, { perTransaction: 100, pauseMs: 5 });
  const check = connect(subject, room);
  await whenSynced(check.provider);
  await until(() => new BoardDoc(check.doc).cards.size === cards, 60_000, 'the seeded board to be stored');
  check.provider.destroy();
  provider.destroy();
  // Let the reference's LevelDB writes (queued per update) finish before it is killed.
  await sleep(1_500);
  return room;
}

/** Time from creating a fresh client to it being synced with every card. */
async function timeColdOpen(subject: Subject, room: string, cards: number): Promise<number> {
  const started = performance.now();
  const { doc, provider } = connect(subject, room);
  const board = new BoardDoc(doc);
  await whenSynced(provider, 60_000);
  await until(() => board.cards.size === cards, 60_000, 'all cards');
  const elapsed = performance.now() - started;
  provider.destroy();
  return elapsed;
}

/** The whole board as one update, as a fresh client receives it (for the client-only timing). */
async function boardAsOneUpdate(subject: Subject, room: string, cards: number): Promise<Uint8Array> {
  const { doc, provider } = connect(subject, room);
  await whenSynced(provider, 60_000);
  await until(() => new BoardDoc(doc).cards.size === cards, 60_000, 'all cards');
  provider.destroy();
  return Y.encodeStateAsUpdate(doc);
}

/**
 * The fresh client's own work and nothing else: the whole board applied as one update to an empty
 * document, in this process, and the cards counted as `timeColdOpen` counts them.
 */
function timeClientApply(update: Uint8Array, cards: number): number {
  const started = performance.now();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  if (new BoardDoc(doc).cards.size !== cards) throw new Error('the board update does not hold every card');
  const elapsed = performance.now() - started;
  doc.destroy();
  return elapsed;
}

async function reload(subjects: Subject[]): Promise<void> {
  console.log(`\n## reload5000: a ${RELOAD_CARDS}-card board, server restarted, fresh client until synced with every card; ${runs} interleaved runs (each after its own restart)`);
  const rooms = new Map<Subject, string>();
  const updates = new Map<Subject, Uint8Array>();
  for (const subject of subjects) {
    const room = await seedLargeBoard(subject, RELOAD_CARDS);
    rooms.set(subject, room);
    updates.set(subject, await boardAsOneUpdate(subject, room, RELOAD_CARDS));
  }
  const cold = new Map<Subject, number[]>(subjects.map((s) => [s, []]));
  const warm = new Map<Subject, number[]>(subjects.map((s) => [s, []]));
  const clientOnly = new Map<Subject, number[]>(subjects.map((s) => [s, []]));
  for (let run = 0; run < runs; run++) {
    for (const subject of subjects) {
      await subject.server.restart();
      const coldMs = await timeColdOpen(subject, rooms.get(subject)!, RELOAD_CARDS);
      // A second fresh client right after, for comparison (Passerelle: the board is still loaded).
      const warmMs = await timeColdOpen(subject, rooms.get(subject)!, RELOAD_CARDS);
      // The same client work without a server, under the same conditions (the floor of both).
      const clientMs = timeClientApply(updates.get(subject)!, RELOAD_CARDS);
      cold.get(subject)!.push(coldMs);
      warm.get(subject)!.push(warmMs);
      clientOnly.get(subject)!.push(clientMs);
      console.log(`  run ${run + 1} ${subject.server.kind.padEnd(10)} after restart ${ms(coldMs)}, next fresh client ${ms(warmMs)}, client apply alone ${ms(clientMs)}`);
    }
  }
  const row = (s: Subject) => ({
    coldMedian: median(cold.get(s)!),
    coldMax: Math.max(...cold.get(s)!),
    warmMedian: median(warm.get(s)!),
    clientApplyMedian: median(clientOnly.get(s)!),
    updateBytes: updates.get(s)!.byteLength,
  });
  const rows = new Map<string, ReturnType<typeof row>>(subjects.map((s) => [s.server.kind, row(s)]));
  console.log(`\n| reload5000 | after restart (median) | after restart (max) | next fresh client (median) | client apply alone (median) | after restart minus client apply | board update |`);
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const [kind, x] of rows) {
    console.log(`| ${label(kind)} | ${ms(x.coldMedian)} | ${ms(x.coldMax)} | ${ms(x.warmMedian)} | ${ms(x.clientApplyMedian)} | ${ms(x.coldMedian - x.clientApplyMedian)} | ${mib(x.updateBytes)} |`);
  }
  // The first subject against the second: Passerelle against the reference (or the baseline).
  const pr = subjects[0] && rows.get(subjects[0].server.kind);
  const rr = subjects[1] && rows.get(subjects[1].server.kind);
  if (pr && rr) {
    console.log(`| ratio | ${ratio(pr.coldMedian, rr.coldMedian)} | ${ratio(pr.coldMax, rr.coldMax)} | ${ratio(pr.warmMedian, rr.warmMedian)} | | ${ratio(pr.coldMedian - pr.clientApplyMedian, rr.coldMedian - rr.clientApplyMedian)} | |`);
  }
  const round = (x: ReturnType<typeof row>) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, Math.round(v)]));
  const json = (s: Subject) => ({ ...round(row(s)), runs: cold.get(s)!.map(Math.round), clientApplyRuns: clientOnly.get(s)!.map(Math.round) });
  console.log(JSON.stringify({ bench: 'sync-vs-reference', scenario: 'reload5000', cards: RELOAD_CARDS, runs, ...Object.fromEntries(subjects.map((s) => [s.server.kind, json(s)])) }));
}

// ---------------------------------------------------------------------------------------------
// Unload: open and close 500 boards, memory before and after.

const UNLOAD_BOARDS = 500;
const UNLOAD_BATCH = 50;
const UNLOAD_CARDS_PER_BOARD = 10;

interface UnloadResult {
  start: MemoryReading;
  open: MemoryReading;
  closed: MemoryReading[];
}

async function unloadCycle(subject: Subject, rooms: string[]): Promise<{ open: MemoryReading }> {
  const open: { provider: WebsocketProvider }[] = [];
  for (let start = 0; start < rooms.length; start += UNLOAD_BATCH) {
    const batch = rooms.slice(start, start + UNLOAD_BATCH).map((room) => connect(subject, room));
    await Promise.all(batch.map(({ provider }) => whenSynced(provider)));
    for (const { doc } of batch) {
      const board = new BoardDoc(doc);
      const column = board.columns.size > 0 ? [...board.columns.keys()][0] : board.addColumn('Colonne');
      doc.transact(() => {
        for (let i = 0; i < UNLOAD_CARDS_PER_BOARD; i++) board.addCard(column, { title: `Carte ${i}`, description: 'Texte de description.', createdBy: 'bench' });
      });
    }
    open.push(...batch);
  }
  await sleep(1_000);
  const reading = await subject.server.collectAndMeasure();
  for (const { provider } of open) provider.destroy();
  return { open: reading };
}

async function unload(passerelle: BenchServer, reference: BenchServer, cycles: number): Promise<void> {
  console.log(`\n## unload500: ${UNLOAD_BOARDS} boards opened (in batches of ${UNLOAD_BATCH}, ${UNLOAD_CARDS_PER_BOARD} cards written to each, all open at once) and closed, ${cycles} cycles; memory after a forced full GC`);
  const results = new Map<string, UnloadResult>();
  for (const subject of [await passerelleSubject(passerelle), referenceSubject(reference)]) {
    const rooms: string[] = [];
    for (let i = 0; i < UNLOAD_BOARDS; i++) rooms.push(await subject.newBoard(`Unload ${i}`));
    await sleep(500);
    const start = await subject.server.collectAndMeasure();
    const result: UnloadResult = { start, open: start, closed: [] };
    for (let cycle = 0; cycle < cycles; cycle++) {
      const { open } = await unloadCycle(subject, rooms);
      if (cycle === 0) result.open = open;
      // Passerelle runs with UNLOAD_DELAY_MS=200; the reference drops a document when its last client leaves.
      await sleep(3_000);
      result.closed.push(await subject.server.collectAndMeasure());
    }
    results.set(subject.server.kind, result);
  }
  const pct = (after: number, before: number) => `${after >= before ? '+' : ''}${(((after - before) / before) * 100).toFixed(1)}%`;
  console.log(`\n| unload500 | RSS start | RSS all open | RSS closed (cycle 1 … ${cycles}) | RSS delta | heap used start | heap used closed | heap delta |`);
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  const json: Record<string, unknown> = {};
  for (const [kind, r] of results) {
    const last = r.closed[r.closed.length - 1];
    console.log(
      `| ${kind === 'passerelle' ? 'Passerelle' : 'reference'} | ${mib(r.start.rss)} | ${mib(r.open.rss)} | ${r.closed.map((c) => mib(c.rss)).join(', ')} | ${pct(last.rss, r.start.rss)} | ${mib(r.start.heapUsed)} | ${mib(last.heapUsed)} | ${pct(last.heapUsed, r.start.heapUsed)} |`,
    );
    const toMiB = (m: MemoryReading) => ({ rssMiB: +(m.rss / 1048576).toFixed(1), heapUsedMiB: +(m.heapUsed / 1048576).toFixed(1), externalMiB: +(m.external / 1048576).toFixed(1) });
    json[kind] = { start: toMiB(r.start), open: toMiB(r.open), closed: r.closed.map(toMiB), rssDeltaPct: +(((last.rss - r.start.rss) / r.start.rss) * 100).toFixed(1) };
  }
  console.log(JSON.stringify({ bench: 'sync-vs-reference', scenario: 'unload500', boards: UNLOAD_BOARDS, cycles, ...json }));
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  // Every WebsocketProvider adds a process 'exit' listener.
  process.setMaxListeners(0);
  const built = snapshotPasserelleBuild();
  if (pin) {
    // This process (the reload client, the driver's parent) stays off the server's core too.
    pinProcess(process.pid, CLIENT_CPUS);
    console.log(`Pinned: servers on CPU ${SERVER_CPUS}, drivers and this process on CPUs ${CLIENT_CPUS}`);
  }
  console.log(`Passerelle build: ${process.env.BENCH_PASSERELLE_BUILD ?? 'server/dist/main.js'} of ${built.toISOString()} (copied to bench/.snapshot/ for this run)`);
  if (baseline) {
    console.log(`  on Node.js ${process.version} (${process.execPath})`);
    console.log(`Baseline build (in the reference's place; ratios are Passerelle / baseline): ${baseline.main} of ${statSync(baseline.main).mtime.toISOString()}, run in place`);
    console.log(`  on Node.js ${nodeVersion(baseline.node)} (${baseline.node})`);
  }
  const dirs: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const servers: BenchServer[] = [];
  /** Other services to stop after the servers (Redis). */
  const stops: (() => Promise<void>)[] = [];
  // One directory per server; default file names are unique per process, so every restart keeps its profile.
  const profileArgs = (kind: string) => [...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, kind)] : []), ...(loopDelay ? ['--import', LOOP_HOOK] : [])];
  try {
    const fanouts = scenarios.filter((s) => s === 'fanout50' || s === 'fanout200' || s === 'writers200obs10');
    if (fanouts.length > 0 || scenarios.includes('reload5000')) {
      const cpus = pin ? SERVER_CPUS : undefined;
      const passerelle = await startPasserelle({ dataDir: tempDir('passerelle-bench-'), nodeArgs: profileArgs('passerelle'), cpus });
      // Stopped at the end even if the second one fails to start.
      servers.push(passerelle);
      // The second server: the reference, or with --baseline the other build of Passerelle.
      const second = baseline
        ? await startPasserelle({ dataDir: tempDir('baseline-bench-'), nodeArgs: profileArgs('baseline'), cpus, baseline })
        : await startReference({ persistenceDir: join(tempDir('reference-bench-'), 'leveldb'), nodeArgs: profileArgs('reference'), cpus });
      servers.push(second);
      const only = option('only');
      const subjects = [await passerelleSubject(passerelle), baseline ? await passerelleSubject(second) : referenceSubject(second)].filter((s) => !only || s.server.kind === only);
      if (scenarios.includes('fanout50')) await fanout('fanout50', 50, subjects);
      if (scenarios.includes('fanout200')) await fanout('fanout200', 200, subjects);
      if (scenarios.includes('writers200obs10')) await fanout('writers200obs10', 200, subjects, 2, { observers: 0, watchers: 10, replicas: true });
      if (scenarios.includes('reload5000')) await reload(subjects);
    }
    if (scenarios.includes('redis50')) {
      // Redis mode as production runs it (AOF, fsync every second): two processes on one Redis.
      const redis = await startRedisServer({ appendfsync: 'everysec' });
      stops.push(() => redis.stop());
      const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench:' };
      const first = await startPasserelle({ dataDir: tempDir('passerelle-redis-a-'), env });
      const second = await startPasserelle({ dataDir: tempDir('passerelle-redis-b-'), env });
      servers.push(first, second);
      const oneProcess = { ...(await passerelleSubject(first)), label: 'one process' };
      const twoProcesses: Subject = { ...oneProcess, label: 'two processes', syncUrls: [first.syncUrl, second.syncUrl], otherServers: [second] };
      // Two driver processes: in the two-process runs, each holds the clients of one server.
      await fanout('redis50', 50, [twoProcesses, oneProcess], 2);
    }
    if (scenarios.includes('unload500')) {
      const passerelle = await startPasserelle({ dataDir: tempDir('passerelle-unload-'), env: { UNLOAD_DELAY_MS: '200' } });
      const reference = await startReference({ persistenceDir: join(tempDir('reference-unload-'), 'leveldb') });
      servers.push(passerelle, reference);
      await unload(passerelle, reference, Number(option('cycles')) || 2);
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    for (const stop of stops) await stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
// Providers' reconnect timers and the like must not keep the process alive.
process.exit(0);
