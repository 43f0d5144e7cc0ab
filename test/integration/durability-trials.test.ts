/**
 * SIGKILL at a random moment under continuous edits, at 300 and 1,000 edits per second: no edit that
 * another client had received may be lost. Each trial runs the built server as a real process on a
 * fresh data directory, with the embedded store, then in Redis mode (a fresh key prefix on a
 * redis-server the suite starts). `DURABILITY_TRIALS` sets the number of trials per rate (3 in the
 * regular suite; `DURABILITY_TRIALS=10` is the full measure recorded in bench/RESULTS.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardDoc } from '@passerelle/shared';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { adminToken, connectClient, createBoard, eventually, synced, tempDataDir } from '../helpers/test-server.js';

const TRIALS = Number(process.env.DURABILITY_TRIALS ?? 3);

/**
 * One sync message per edit, as a person's client sends them. Few writers keep the test process
 * (which decodes what every client receives) from becoming the bottleneck; the per-connection
 * message limit is raised accordingly, since it is not what these trials are about.
 */
const RATES = [
  { editsPerSecond: 300, writers: 2 },
  { editsPerSecond: 1000, writers: 4 },
];
const SERVER_ENV = { MAX_MESSAGES_PER_SECOND: '1000' };

interface TrialResult {
  written: number;
  /** Edits per second actually sent until the kill (timers lag when the machine is busy). */
  achievedPerSecond: number;
  seen: number;
  lost: number;
  killedAfterMs: number;
}

async function trial(editsPerSecond: number, writerCount: number, storeEnv: Record<string, string>): Promise<TrialResult> {
  const data = tempDataDir();
  const env = { ...SERVER_ENV, ...storeEnv };
  let server: ServerProcess | null = await startServerProcess({ dataDir: data.dir, env });
  try {
    const token = await adminToken(server.url);
    const boardId = await createBoard(server.url, token, 'Essai de coupure');
    const observer = connectClient(server.url, boardId, token);
    const writers = Array.from({ length: writerCount }, () => connectClient(server!.url, boardId, token));
    await Promise.all([observer, ...writers].map((client) => synced(client.provider)));
    // Each writer types into the description of its own card, a word per edit: cheap enough on the
    // client side that the rates are reached, and every word says who wrote it and when.
    const setupBoard = new BoardDoc(writers[0].doc);
    const column = setupBoard.addColumn('Rafale');
    const cardIds = writers.map((_writer, index) => setupBoard.addCard(column, { title: `Rédacteur ${index}`, createdBy: `writer-${index}` }));
    const observerBoard = new BoardDoc(observer.doc);
    await eventually(() => writers.every((writer) => cardIds.every((id) => new BoardDoc(writer.doc).getCard(id))), 5000, 'cards everywhere');
    await eventually(() => cardIds.every((id) => observerBoard.getCard(id)), 5000, 'cards on the observer');

    let written = 0;
    const perWriter = editsPerSecond / writerCount;
    const started = performance.now();
    const timers = writers.map((writer, index) => {
      const text = new BoardDoc(writer.doc).cardDescriptionText(cardIds[index])!;
      let count = 0;
      // Timers lag on a busy machine: each tick catches up to the rate, an edit (and a message) at a time.
      return setInterval(() => {
        const due = Math.floor(((performance.now() - started) / 1000) * perWriter);
        while (count < due) {
          text.insert(text.length, `w${index}-${count++} `);
          written++;
        }
      }, 5);
    });
    // Somewhere between 0.3 and 1.5 s into the stream of edits.
    const killedAfterMs = 300 + Math.floor(Math.random() * 1200);
    await new Promise((resolve) => setTimeout(resolve, killedAfterMs));
    await server.kill();
    const wordsOf = (board: BoardDoc) => cardIds.flatMap((id) => (board.getCard(id)?.description ?? '').split(' ').filter(Boolean));
    const seen = wordsOf(observerBoard);
    for (const timer of timers) clearInterval(timer);
    for (const client of [observer, ...writers]) client.provider.destroy();

    server = await startServerProcess({ dataDir: data.dir, env });
    const reader = connectClient(server.url, boardId, token);
    await synced(reader.provider);
    const stored = new Set(wordsOf(new BoardDoc(reader.doc)));
    reader.provider.destroy();
    return {
      written,
      achievedPerSecond: Math.round(written / (killedAfterMs / 1000)),
      seen: seen.length,
      lost: seen.filter((word) => !stored.has(word)).length,
      killedAfterMs,
    };
  } finally {
    await server?.kill();
    data.remove();
  }
}

/** The stores the trials run on: the embedded one, and Redis as production runs it (AOF, fsync every second). */
const STORES = [{ store: 'the embedded store', redis: false }, { store: 'Redis', redis: true }];

describe.each(STORES)('with $store', ({ redis: onRedis }) => {
  let redis: RedisServer | null = null;
  let trials = 0;
  beforeAll(async () => {
    if (onRedis) redis = await startRedisServer({ appendfsync: 'everysec' });
  });
  afterAll(async () => {
    await redis?.stop();
  });
  /** Each trial on a store of its own: a fresh data directory, and with Redis a fresh key prefix. */
  const storeEnv = (): Record<string, string> => (redis ? { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `trial-${++trials}:` } : {});

  describe.each(RATES)('SIGKILL under $editsPerSecond edits per second', ({ editsPerSecond, writers }) => {
    it(`loses no edit another client had received, over ${TRIALS} trials`, async () => {
      const results: TrialResult[] = [];
      for (let index = 0; index < TRIALS; index++) results.push(await trial(editsPerSecond, writers, storeEnv()));
      // The figures of each trial, for bench/RESULTS.md.
      console.log(JSON.stringify({ durability: { store: onRedis ? 'redis' : 'embedded', editsPerSecond, trials: results } }));
      expect(results.map((result) => result.lost)).toEqual(results.map(() => 0));
      // Each trial must really have cut a stream in flight, with edits seen by the observer.
      for (const result of results) expect(result.seen).toBeGreaterThan(0);
    }, 60_000 + TRIALS * 15_000);
  });
});
