import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedisServer, type RedisServer } from './redis-server.js';

/** The administrator every test server starts with. */
export const ADMIN = { email: 'admin@example.org', password: 'correct-horse-battery' } as const;

const MAIN = fileURLToPath(new URL('../../server/dist/main.js', import.meta.url));

/** The built server (`npm run build`) running as a child process, as `npm start` runs it. */
export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything the process printed (stdout and stderr), for diagnostics. */
  readonly output: string;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<void>;
  /** SIGKILL: no shutdown work at all, as in a crash. */
  kill(): Promise<void>;
  /** Stops (SIGTERM) and starts again on the same port with the same data directory. */
  restart(): Promise<void>;
}

/** Starts `node server/dist/main.js` on a free port (or `port`) and resolves once it listens. */
export async function startServerProcess(options: { dataDir: string; env?: Record<string, string>; port?: number }): Promise<ServerProcess> {
  let output = '';
  let child: ChildProcess;
  let port = options.port ?? 0;

  const launch = async () => {
    child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: options.dataDir,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        // Tests start from an empty workspace unless they ask for the demo.
        DEMO_WORKSPACE: 'false',
        ...options.env,
        // The port is read from the 'listening' log line, logged at info.
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const listening = new Promise<number>((resolve, reject) => {
      let buffer = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        buffer += chunk.toString();
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          try {
            const record = JSON.parse(line) as { msg?: string; port?: number };
            if (record.msg === 'Passerelle is listening' && record.port) resolve(record.port);
          } catch {
            // Not a log line.
          }
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
    });
    port = await listening;
  };

  const waitExit = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  };

  await launch();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get child() {
      return child;
    },
    get output() {
      return output;
    },
    stop: () => waitExit('SIGTERM'),
    kill: () => waitExit('SIGKILL'),
    restart: async () => {
      await waitExit('SIGTERM');
      await launch();
    },
  };
}

/** Two Passerelle processes serving the same boards from one Redis, as behind a balancer. */
export interface RedisPair {
  readonly redis: RedisServer;
  readonly first: ServerProcess;
  readonly second: ServerProcess;
  /** Stops both processes (SIGTERM), then Redis, and removes their data directories. */
  stop(): Promise<void>;
}

/**
 * Starts a redis-server of its own and two built servers on it, together, each on its own data
 * directory (they share nothing but Redis).
 */
export async function startRedisPair(options: { keyPrefix?: string; env?: Record<string, string> } = {}): Promise<RedisPair> {
  const redis = await startRedisServer();
  const dirs = [mkdtempSync(join(tmpdir(), 'passerelle-pair-')), mkdtempSync(join(tmpdir(), 'passerelle-pair-'))];
  const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: options.keyPrefix ?? 'test:', ...options.env };
  const [first, second] = await Promise.all(dirs.map((dataDir) => startServerProcess({ dataDir, env })));
  return {
    redis,
    first: first!,
    second: second!,
    async stop() {
      await Promise.all([first!.stop(), second!.stop()]);
      await redis.stop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}
