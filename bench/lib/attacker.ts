/**
 * The attacker process of the soak benchmark (`bench/attack-soak.ts`), forked so that its own work
 * does not slow the process that measures. Two attacks run until told to stop:
 *
 * - an outsider, without signing in, loops WebSocket upgrade requests to a path nobody serves
 *   (`upgradeLoops` at a time, each waiting for the answer or 2 s, then closing);
 * - a partner guest holds `guestConnections` sync connections to the board and sends sync step 1
 *   messages at `step1PerSecond` each, every one with a made-up state vector: the board's own
 *   clients (read from the server's greeting) with random clocks, so that no two ask for the same
 *   answer. A connection the server closes is opened again at once.
 *
 * Reports counts to the parent when stopped.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface AttackerSetup {
  type: 'setup';
  /** `http://127.0.0.1:<port>` */
  url: string;
  boardId: string;
  /** The guest's session cookie. */
  guestCookie: string;
  upgradeLoops: number;
  guestConnections: number;
  step1PerSecond: number;
  /** The address the attackers connect from (a loopback address of their own, as another machine would have). */
  localAddress: string;
}

export interface AttackerReport {
  type: 'report';
  upgradeRequests: number;
  /** Answered (404 for a path nobody serves). */
  upgradesAnswered: number;
  /** Closed by the server without an answer (turned away when accepted). */
  upgradesTurnedAway: number;
  /** Neither answered nor closed within 2 s. */
  upgradesUnanswered: number;
  step1Sent: number;
  step2Received: number;
  step2Bytes: number;
  closes: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let running = true;
const report: AttackerReport = { type: 'report', upgradeRequests: 0, upgradesAnswered: 0, upgradesTurnedAway: 0, upgradesUnanswered: 0, step1Sent: 0, step2Received: 0, step2Bytes: 0, closes: {} };

/** One upgrade request to a path nobody serves; resolves when answered, closed, or after 2 s. */
function upgradeOnce(url: URL, localAddress: string): Promise<void> {
  return new Promise((resolve) => {
    const socket: Socket = connectTcp({ host: url.hostname, port: Number(url.port), localAddress });
    let answered = false;
    let finished = false;
    const done = (closedByServer: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (answered) report.upgradesAnswered++;
      else if (closedByServer) report.upgradesTurnedAway++;
      else report.upgradesUnanswered++;
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(() => done(false), 2_000);
    socket.on('error', () => done(true));
    socket.on('close', () => done(true));
    socket.on('data', () => {
      answered = true;
      done(true);
    });
    socket.on('connect', () => {
      report.upgradeRequests++;
      socket.write(
        `GET /nothing-${Math.random().toString(36).slice(2)} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${Buffer.from(Math.random().toString()).toString('base64')}\r\n\r\n`,
      );
    });
  });
}

async function upgradeLoop(url: URL, localAddress: string): Promise<void> {
  while (running) await upgradeOnce(url, localAddress);
}

function step1Frame(stateVector: Map<number, number>): Buffer {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint8Array(encoder, Y.encodeStateVector(stateVector));
  return Buffer.from(encoding.toUint8Array(encoder));
}

/** One guest connection sending made-up step 1s until the server closes it; resolves on close. */
function step1Connection(setup: AttackerSetup): Promise<void> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${setup.url.replace('http', 'ws')}/sync/${setup.boardId}`, {
      headers: { cookie: setup.guestCookie, origin: setup.url },
      localAddress: setup.localAddress,
    });
    let known: [number, number][] = [];
    let timer: NodeJS.Timeout | null = null;
    socket.on('error', () => {});
    socket.on('message', (frame: Buffer) => {
      const decoder = decoding.createDecoder(frame);
      if (decoding.readVarUint(decoder) !== 0) return;
      const type = decoding.readVarUint(decoder);
      if (type === 0 && known.length === 0) {
        // The server's greeting: its state vector names the board's clients and clocks.
        known = [...Y.decodeStateVector(decoding.readVarUint8Array(decoder))].filter(([, clock]) => clock > 1);
        timer = setInterval(() => {
          if (socket.readyState !== WebSocket.OPEN || known.length === 0) return;
          const [client, clock] = known[Math.floor(Math.random() * known.length)]!;
          socket.send(step1Frame(new Map([[client, 1 + Math.floor(Math.random() * (clock - 1))]])));
          report.step1Sent++;
        }, 1000 / setup.step1PerSecond);
      } else if (type === 1) {
        report.step2Received++;
        report.step2Bytes += frame.byteLength;
      }
    });
    socket.on('close', (code) => {
      if (timer) clearInterval(timer);
      report.closes[code] = (report.closes[code] ?? 0) + 1;
      resolve();
    });
  });
}

async function step1Loop(setup: AttackerSetup): Promise<void> {
  while (running) {
    await step1Connection(setup);
    await sleep(20);
  }
}

process.on('message', (message: AttackerSetup | { type: 'stop' }) => {
  if (message.type === 'setup') {
    const url = new URL(message.url);
    for (let index = 0; index < message.upgradeLoops; index++) void upgradeLoop(url, message.localAddress);
    for (let index = 0; index < message.guestConnections; index++) void step1Loop(message);
    process.send!({ type: 'started' });
  } else {
    running = false;
    // Open sockets close with the process; the counts are final.
    process.send!(report, () => process.exit(0));
  }
});
