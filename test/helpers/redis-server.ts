import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real `redis-server` that a test started for itself, with AOF on, in a fresh directory. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** SHUTDOWN (which writes and fsyncs the AOF), then removes the data directory. */
  stop(): Promise<void>;
  /**
   * Stops and starts again on the same port and directory, so the data comes back from the AOF.
   * `'shutdown'` (default) is a clean stop; `'kill'` is SIGKILL, as in a crash of Redis.
   */
  restart(how?: 'shutdown' | 'kill'): Promise<void>;
}

const NOT_INSTALLED =
  'redis-server is not installed (not found on PATH). The Redis tests start a real Redis: install it, ' +
  'e.g. `sudo apt-get install -y redis-server`.';

/** A port that was free a moment ago (the OS picked it for a listener we closed at once). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('could not pick a free port');
  return address.port;
}

/** Spawns redis-server and resolves once it accepts connections; rejects with its output if it exits first. */
function launch(port: number, dir: string, appendfsync: AppendFsync): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--dir', dir,
      // No RDB snapshots: the AOF alone must bring the data back, as production is configured.
      '--save', '',
      '--appendonly', 'yes',
      '--appendfsync', appendfsync,
      '--maxmemory-policy', 'noeviction',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        // Keep draining its output so that a full pipe never blocks Redis.
        child.stdout!.resume();
        resolve(child);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', onExit);
    child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new Error(NOT_INSTALLED) : error));
  });
}

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once('exit', resolve));
}

/** Asks Redis to shut down cleanly (flushing its AOF) over the same protocol a client speaks. */
async function shutdown(port: number, child: ChildProcess): Promise<void> {
  const { createClient } = await import('redis');
  const client = createClient({ url: `redis://127.0.0.1:${port}` });
  client.on('error', () => {});
  await client.connect();
  // The connection drops as Redis exits, so the reply may never come.
  await client.sendCommand(['SHUTDOWN']).catch(() => {});
  client.destroy();
  await exited(child);
}

/**
 * When Redis writes its AOF to disk: `always` (tests: every acknowledged write is on disk, so that
 * a SIGKILL restart loses nothing either) or `everysec` (production's setting, docs/redis.md; the
 * benchmarks measure with it).
 */
export type AppendFsync = 'always' | 'everysec';

/** Starts `redis-server` on a free port with `appendonly yes` in a new temporary directory. */
export async function startRedisServer(options: { appendfsync?: AppendFsync } = {}): Promise<RedisServer> {
  const appendfsync = options.appendfsync ?? 'always';
  const dir = await mkdtemp(join(tmpdir(), 'passerelle-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  // The free port can be taken between picking and binding; try a few.
  for (let attempt = 1; !child; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, dir, appendfsync);
    } catch (error) {
      if (attempt >= 3 || (error as Error).message === NOT_INSTALLED) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  let running: ChildProcess = child;

  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (running.exitCode === null && running.signalCode === null) {
        await shutdown(port, running).catch(async () => {
          running.kill('SIGKILL');
          await exited(running);
        });
      }
      await rm(dir, { recursive: true, force: true });
    },
    async restart(how = 'shutdown') {
      if (how === 'kill') {
        running.kill('SIGKILL');
        await exited(running);
      } else {
        await shutdown(port, running);
      }
      running = await launch(port, dir, appendfsync);
    },
  };
}

