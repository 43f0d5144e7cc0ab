/**
 * SIGKILL at a random moment under continuous edits, at 300 and 1,000 edits per second: no edit that
 * another client had received may be lost. Each trial runs the built server as a real process on a
 * fresh data directory. `DURABILITY_TRIALS` sets the number of trials per rate (3 in the regular
 * suite; `DURABILITY_TRIALS=10` is the full measure recorded in bench/RESULTS.md).
 */
import { describe, expect, it } from 'vitest';
import { BoardDoc } from '@passerelle/shared';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { adminToken, connectClient, createBoard, eventually, synced, tempDataDir } from '../helpers/test-server.js';

const TRIALS = Number(process.env.DURABILITY_TRIALS ?? 3);

/** Writers at up to 100 edits per second each: one sync message per edit, as a person's client sends them. */
const RATES = [
  { editsPerSecond: 300, writers: 5 },
  { editsPerSecond: 1000, writers: 10 },
];

interface TrialResult {
  written: number;
  /** Edits per second actually sent until the kill (timers lag when the machine is busy). */
  achievedPerSecond: number;
  seen: number;
  lost: number;
  killedAfterMs: number;
}

async function trial(editsPerSecond: number, writerCount: number): Promise<TrialResult> {
  const data = tempDataDir();
  let server: ServerProcess | null = await startServerProcess({ dataDir: data.dir });
  try {
    const token = await adminToken(server.url);
    const boardId = await createBoard(server.url, token, 'Essai de coupure');
    const observer = connectClient(server.url, boardId, token);
    const writers = Array.from({ length: writerCount }, () => connectClient(server!.url, boardId, token));
    await Promise.all([observer, ...writers].map((client) => synced(client.provider)));
    const column = new BoardDoc(writers[0].doc).addColumn('Rafale');
    const observerBoard = new BoardDoc(observer.doc);
    await eventually(() => observerBoard.listColumns().length === 1, 5000, 'column');

    let written = 0;
    const intervalMs = (1000 * writerCount) / editsPerSecond;
    const timers = writers.map((writer, index) => {
      const board = new BoardDoc(writer.doc);
      let count = 0;
      return setInterval(() => {
        board.addCard(column, { title: `w${index}-${count++}`, createdBy: `writer-${index}` });
        written++;
      }, intervalMs);
    });
    // Somewhere between 0.3 and 1.5 s into the stream of edits.
    const killedAfterMs = 300 + Math.floor(Math.random() * 1200);
    await new Promise((resolve) => setTimeout(resolve, killedAfterMs));
    await server.kill();
    const seen = observerBoard.listCards(column).map((card) => card.title);
    for (const timer of timers) clearInterval(timer);
    for (const client of [observer, ...writers]) client.provider.destroy();

    server = await startServerProcess({ dataDir: data.dir });
    const reader = connectClient(server.url, boardId, token);
    await synced(reader.provider);
    const stored = new Set(new BoardDoc(reader.doc).listCards(column).map((card) => card.title));
    reader.provider.destroy();
    return {
      written,
      achievedPerSecond: Math.round(written / (killedAfterMs / 1000)),
      seen: seen.length,
      lost: seen.filter((title) => !stored.has(title)).length,
      killedAfterMs,
    };
  } finally {
    await server?.kill();
    data.remove();
  }
}

describe.each(RATES)('SIGKILL under $editsPerSecond edits per second', ({ editsPerSecond, writers }) => {
  it(`loses no edit another client had received, over ${TRIALS} trials`, async () => {
    const results: TrialResult[] = [];
    for (let index = 0; index < TRIALS; index++) results.push(await trial(editsPerSecond, writers));
    // The figures of each trial, for bench/RESULTS.md.
    console.log(JSON.stringify({ durability: { editsPerSecond, trials: results } }));
    expect(results.map((result) => result.lost)).toEqual(results.map(() => 0));
    // Each trial must really have cut a stream in flight, with edits seen by the observer.
    for (const result of results) expect(result.seen).toBeGreaterThan(0);
  }, 60_000 + TRIALS * 15_000);
});
