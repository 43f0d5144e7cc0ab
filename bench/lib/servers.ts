/**
 * The two servers the sync benchmarks compare, each started as its own process so that its CPU and
 * memory can be read from /proc: Passerelle as `npm start` runs it (`node server/dist/main.js`, SQLite
 * store) and the reference, `@y/websocket-server` 0.1.1 (the last release for Yjs 13) as its own
 * `bin` runs it, with its LevelDB persistence on (`YPERSISTENCE`). In the reference's place, a second
 * build of Passerelle can run as the baseline (another checkout's `server/dist/main.js`, on a Node.js
 * binary of its own), to compare two builds or two Node.js versions the same way.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { setPriority } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN } from '../../test/helpers/server-process.js';

/** The build to benchmark: `server/dist/main.js`, or another build given in `BENCH_PASSERELLE_BUILD` (to compare two builds). */
const PASSERELLE_BUILD = process.env.BENCH_PASSERELLE_BUILD ?? fileURLToPath(new URL('../../server/dist/main.js', import.meta.url));
/**
 * A copy of the build taken when the benchmark starts, so that a rebuild by someone else during a
 * long run (the working tree is shared) does not change the server between a restart and the next.
 * It sits two levels under the root like `server/dist/main.js`, so its relative path to `web/build`
 * is the same, and `node_modules` links to `server/node_modules` so packages resolve as they do there.
 */
const SNAPSHOT_DIR = fileURLToPath(new URL('../.snapshot/', import.meta.url));
const PASSERELLE_MAIN = join(SNAPSHOT_DIR, 'main.js');

/** Copies the current build of the server into `bench/.snapshot/`; returns when the build was made. */
export function snapshotPasserelleBuild(): Date {
  mkdirSync(SNAPSHOT_DIR, { recursive: true });
  copyFileSync(PASSERELLE_BUILD, PASSERELLE_MAIN);
  const link = join(SNAPSHOT_DIR, 'node_modules');
  if (!existsSync(link)) symlinkSync(fileURLToPath(new URL('../../server/node_modules', import.meta.url)), link, 'dir');
  return statSync(PASSERELLE_BUILD).mtime;
}
const REFERENCE_MAIN = fileURLToPath(new URL('../../node_modules/@y/websocket-server/src/server.js', import.meta.url));
const GC_HOOK = fileURLToPath(new URL('../gc-hook.mjs', import.meta.url));
/** Preloaded with `--loop-delay`: event-loop delay and GC pauses, every second, on stderr. */
export const LOOP_HOOK = fileURLToPath(new URL('../loop-hook.mjs', import.meta.url));

/** Scheduling priority (`nice`) of both servers: ahead of the drivers and of other work on the machine. */
export const SERVER_NICE = -5;

/** `baseline`: another build of Passerelle, run from its own checkout (see `startPasserelle`). */
export type ServerKind = 'passerelle' | 'baseline' | 'reference';

/** The version a Node.js binary reports (`node --version`), e.g. `v20.20.2`. */
export function nodeVersion(node: string): string {
  return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
}

/** One second of a server's event loop and garbage collector (see `loop-hook.mjs`, `--loop-delay`). */
export interface LoopSecond {
  /** CLOCK_MONOTONIC ms at the end of the second. */
  at: number;
  /** How late the event loop ran: p99 and max over the second, in ms. */
  p99: number;
  max: number;
  /** Collections that ended in the second: how many, their total and longest pause, the longest major one (ms). */
  gcCount: number;
  gcMs: number;
  gcMax: number;
  gcMajorMax: number;
  /** The heap in use at the end of the second, in MiB. */
  heapUsedMiB: number;
}

/** Memory of a server process after a forced full GC (see `gc-hook.mjs`). */
export interface MemoryReading {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** A running server: where its sync endpoint is, and its process. */
export interface BenchServer {
  readonly kind: ServerKind;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** What `WebsocketProvider` takes as its server URL (the room name is appended). */
  readonly syncUrl: string;
  readonly pid: number;
  readonly output: () => string;
  /** The seconds of event-loop and GC readings between two monotonic times (empty without `--loop-delay`). */
  loopSeconds(from: number, to: number): LoopSecond[];
  /** Forces a full GC in the server and returns its memory afterwards. */
  collectAndMeasure(): Promise<MemoryReading>;
  /** SIGTERM (Passerelle stores and compacts every open board), then waits for the exit. */
  stop(): Promise<void>;
  /** `stop` and start again on the same port with the same data. */
  restart(): Promise<void>;
}

/** A free TCP port on the loopback interface. The reference cannot report the port it got for `PORT=0`. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`server at ${url} did not start:\n${output()}`);
}

interface LaunchSpec {
  kind: ServerKind;
  main: string;
  env: Record<string, string>;
  /** Path polled until the server answers. */
  readyPath: string;
  syncPath: string;
  nodeArgs?: string[];
  /** CPUs the server may run on (`taskset -c` list, e.g. "0"); every core when absent. */
  cpus?: string;
  /** Node.js binary to run it with (default: the one running the benchmark). */
  node?: string;
  /** Working directory of the server process (default: the benchmark's). */
  cwd?: string;
}

/**
 * Restricts a process, all its threads included, to some CPUs (`taskset -c` list). The benchmark
 * gives the server under test a core of its own this way (`--pin`), so that its clients, which
 * need much CPU themselves, never run on it.
 */
export function pinProcess(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}

async function launch(spec: LaunchSpec, port: number): Promise<BenchServer> {
  let output = '';
  let child!: ChildProcess;
  const memoryWaiters: ((reading: MemoryReading) => void)[] = [];
  let loopSeconds: LoopSecond[] = [];

  const start = async () => {
    // `--import` of a file path and `--expose-gc` work alike on every Node.js version the project
    // has run on (20 and later); `gc-hook.mjs` imports nothing.
    child = spawn(spec.node ?? process.execPath, ['--expose-gc', '--import', GC_HOOK, ...(spec.nodeArgs ?? []), spec.main], {
      cwd: spec.cwd,
      // Another Node.js binary comes first on its PATH too, for anything the server runs itself.
      env: { PATH: spec.node ? `${dirname(spec.node)}:${process.env.PATH ?? ''}` : process.env.PATH, HOST: '127.0.0.1', PORT: String(port), ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errBuffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      errBuffer += chunk.toString();
      let newline;
      while ((newline = errBuffer.indexOf('\n')) >= 0) {
        const line = errBuffer.slice(0, newline);
        errBuffer = errBuffer.slice(newline + 1);
        if (line.startsWith('{"benchMemory"')) memoryWaiters.shift()?.((JSON.parse(line) as { benchMemory: MemoryReading }).benchMemory);
        else if (line.startsWith('{"benchLoop"')) {
          loopSeconds.push((JSON.parse(line) as { benchLoop: LoopSecond }).benchLoop);
          if (loopSeconds.length > 3_600) loopSeconds = loopSeconds.slice(-1_800);
        } else output += `${line}\n`;
      }
    });
    // The server under test gets the CPU before the benchmark's own clients and before other work on
    // a shared machine (both servers alike); without the privilege for it, it runs at normal priority.
    try {
      setPriority(child.pid!, SERVER_NICE);
    } catch {
      // EACCES: not allowed to raise priority here.
    }
    if (spec.cpus) pinProcess(child.pid!, spec.cpus);
    await waitForHttp(`http://127.0.0.1:${port}${spec.readyPath}`, child, () => output);
  };

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    kind: spec.kind,
    url: `http://127.0.0.1:${port}`,
    syncUrl: `ws://127.0.0.1:${port}${spec.syncPath}`,
    get pid() {
      return child.pid!;
    },
    output: () => output,
    // A second is in the window when it ended after the window started and began before it ended.
    loopSeconds: (from, to) => loopSeconds.filter((second) => second.at > from && second.at - 1_000 < to),
    collectAndMeasure: () =>
      new Promise<MemoryReading>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no memory reading from the server')), 10_000);
        memoryWaiters.push((reading) => {
          clearTimeout(timer);
          resolve(reading);
        });
        child.kill('SIGUSR2');
      }),
    stop,
    restart: async () => {
      await stop();
      await start();
    },
  };
}

/**
 * Another build of Passerelle to run instead of this checkout's: `main` is the `server/dist/main.js`
 * of another checkout, built and installed there (its packages, native ones included, resolve from
 * that checkout's `node_modules`, and it serves that checkout's `web/build`); `node` the Node.js
 * binary it was installed for. It runs in place, from that checkout's root: nothing is copied.
 */
export interface BaselineBuild {
  main: string;
  node: string;
}

/**
 * Starts the built Passerelle server with an empty store in `dataDir` (`npm run build` first), or,
 * with `baseline`, that other build (kind `baseline`). Both get the same settings, including
 * `BENCH_PASSERELLE_ENV` and `BENCH_PASSERELLE_NODE_ARGS`.
 */
export async function startPasserelle(options: { dataDir: string; env?: Record<string, string>; nodeArgs?: string[]; cpus?: string; baseline?: BaselineBuild }): Promise<BenchServer> {
  const baseline = options.baseline;
  if (baseline && !existsSync(baseline.main)) throw new Error(`no baseline build at ${baseline.main}`);
  return launch(
    {
      kind: baseline ? 'baseline' : 'passerelle',
      main: baseline ? resolve(baseline.main) : PASSERELLE_MAIN,
      node: baseline?.node,
      // A `server/dist/main.js` two levels under its checkout's root, where `npm start` runs it.
      cwd: baseline ? resolve(dirname(baseline.main), '..', '..') : undefined,
      env: {
        DATA_DIR: options.dataDir,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        DEMO_WORKSPACE: 'false',
        LOG_LEVEL: 'warn',
        // `BENCH_PASSERELLE_ENV` (`NAME=value` pairs, space-separated) sets server settings, to measure one's effect.
        ...Object.fromEntries((process.env.BENCH_PASSERELLE_ENV?.split(' ').filter(Boolean) ?? []).map((pair) => pair.split('=') as [string, string])),
        ...options.env,
      },
      readyPath: '/healthz',
      syncPath: '/sync',
      // `BENCH_PASSERELLE_NODE_ARGS` (space-separated) adds Node.js flags, to measure one's effect.
      nodeArgs: [...(process.env.BENCH_PASSERELLE_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...(options.nodeArgs ?? [])],
      cpus: options.cpus,
    },
    await freePort(),
  );
}

/** Starts the reference y-websocket server with LevelDB persistence in `persistenceDir`. */
export async function startReference(options: { persistenceDir: string; nodeArgs?: string[]; cpus?: string }): Promise<BenchServer> {
  return launch(
    {
      kind: 'reference',
      main: REFERENCE_MAIN,
      env: { YPERSISTENCE: options.persistenceDir },
      // Answers any plain HTTP request with 200 "okay".
      readyPath: '/',
      syncPath: '',
      nodeArgs: options.nodeArgs,
      cpus: options.cpus,
    },
    await freePort(),
  );
}

const CLOCK_TICKS_PER_SECOND = 100;

/** Busy and total CPU time of the whole machine so far, in seconds (first line of /proc/stat). */
export function machineCpuSeconds(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  // idle + iowait
  const idle = fields[3] + fields[4];
  return { busy: (total - idle) / CLOCK_TICKS_PER_SECOND, total: total / CLOCK_TICKS_PER_SECOND };
}

/** CPU time (user + system) a process has used so far, in seconds (Linux /proc). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

/** Resident set size of a process in bytes (Linux /proc). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** Samples CPU and peak RSS of some processes between `start` and `stop`. */
export class ProcessSampler {
  readonly #pids: number[];
  #cpuStart = new Map<number, number>();
  #startedAt = 0;
  #peakRss = new Map<number, number>();
  #timer: NodeJS.Timeout | null = null;
  #machineStart = { busy: 0, total: 0 };
  /** Cores of the whole machine busy over the sampled period (all processes, ours and others'). */
  machineBusyCores = Number.NaN;

  constructor(pids: number[]) {
    this.#pids = pids;
  }

  start(): void {
    this.#startedAt = performance.now();
    this.#machineStart = machineCpuSeconds();
    for (const pid of this.#pids) {
      this.#cpuStart.set(pid, cpuSeconds(pid));
      this.#peakRss.set(pid, rssBytes(pid));
    }
    this.#timer = setInterval(() => {
      for (const pid of this.#pids) {
        try {
          this.#peakRss.set(pid, Math.max(this.#peakRss.get(pid) ?? 0, rssBytes(pid)));
        } catch {
          // Process gone.
        }
      }
    }, 500);
  }

  /** CPU used per process as a fraction of one core over the sampled period, and peak RSS. */
  stop(): Map<number, { cpu: number; peakRss: number }> {
    if (this.#timer) clearInterval(this.#timer);
    const seconds = (performance.now() - this.#startedAt) / 1000;
    this.machineBusyCores = (machineCpuSeconds().busy - this.#machineStart.busy) / seconds;
    const result = new Map<number, { cpu: number; peakRss: number }>();
    for (const pid of this.#pids) {
      let cpu = Number.NaN;
      try {
        cpu = (cpuSeconds(pid) - this.#cpuStart.get(pid)!) / seconds;
      } catch {
        // Process gone.
      }
      result.set(pid, { cpu, peakRss: this.#peakRss.get(pid) ?? Number.NaN });
    }
    return result;
  }
}
