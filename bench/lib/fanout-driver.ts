/**
 * A driver process of the fan-out benchmark: holds a share of the stock y-websocket clients, makes
 * each of them edit its own card at a fixed rate, and records, at every client, how long each other
 * client's edit took to arrive. Started by `sync-vs-reference.ts` with `fork`; several drivers split
 * the clients so that one event loop is not the bottleneck being measured.
 *
 * Edit: one transaction setting a plain field of the client's card map (`benchProbe<seq mod 8>`) to
 * `<seq>:<sent at>`, the way a field of a card is edited. Eight rotating keys let an observer see
 * every edit even when a server merges a client's consecutive updates; an edit whose key was
 * overwritten before it arrived (8 edits, 4 s later) is counted as missing.
 *
 * Receivers: on a 2-core machine, 200 stock clients that each apply 400 remote updates a second
 * need more CPU than the machine has, and the benchmark would measure its own clients. So only
 * `observers` clients of a driver are full replicas that apply every update and measure latency;
 * the others are the same stock provider with its sync handler replaced, once synced, by one that
 * reads and drops incoming updates (`provider.messageHandlers` is per provider): they still
 * connect, edit, send presence, receive every frame the server fans out and answer awareness as a
 * stock client does (it sends every awareness update it applies back to the server), at a fraction
 * of the cost. The observers are spread evenly over the driver's clients (the 1st, the 26th, ...
 * of 100 for 4), not the first ones: clients connect in the order they are made, servers send to
 * their connections in that order, and the first connections hear of every edit first.
 *
 * With `replicas`, the clients that do not measure stay stock replicas instead. `watch` adds clients
 * that never edit and measure, once every driver's writers are connected (writers200obs10).
 *
 * Edits are generated from a schedule kept in due order (every client has the same period, so the
 * order never changes): one timer to the next due edit, rather than a scan of every client every
 * couple of milliseconds.
 *
 * Time: `process.hrtime` is CLOCK_MONOTONIC on Linux, the same clock in every process of the machine.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { stockClient } from '../../test/helpers/stock-client.js';
import { monotonicMs } from './clock.js';
import { LatencyHistogram } from './histogram.js';

export interface DriverSetup {
  type: 'setup';
  /** Server URL for `WebsocketProvider` (room name appended). */
  syncUrl: string;
  room: string;
  /** Passerelle API token (`?token=`); the reference needs none. */
  token?: string;
  /** Card ids this driver's clients edit, one per client. */
  cardIds: string[];
  /** Edits per second per client. */
  hz: number;
  /** How many of this driver's clients (the first ones) apply remote updates and measure latency. */
  observers: number;
  /**
   * Whether the clients that do not measure stay stock replicas that apply every update (true), or
   * become sinks that read and drop updates once synced (false, the default).
   */
  replicas?: boolean;
}

/**
 * More clients for the driver once every driver's writers are connected (so they are the room's
 * last connections): full replicas that never edit and measure the latency of every edit.
 */
export interface DriverWatch {
  type: 'watch';
  count: number;
}

export interface DriverStart {
  type: 'start';
  /** Monotonic ms when editing starts, when the measured window starts and when editing ends. */
  at: number;
  windowStart: number;
  windowEnd: number;
}

export interface DriverReport {
  type: 'report';
  latency: { counts: number[]; max: number };
  /** How late an edit was made against its schedule (the driver's own lag). */
  sendLag: { counts: number[]; max: number };
  sentInWindow: number;
  /** Edits in the window made by observer clients (which do not receive their own). */
  sentInWindowByObservers: number;
  receivedInWindow: number;
  /**
   * For each second of the window (by when the edit was made), how many deliveries took over
   * `SLOW_MS`: where in the window a run's tail is.
   */
  slowBySecond: number[];
  /** Every delivery of the window, by the same seconds. */
  receivedBySecond: number[];
  sentTotal: number;
  receivedTotal: number;
}

const KEYS = 8;
/** A delivery slower than this counts in `slowBySecond`. */
export const SLOW_MS = 100;


interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  card: Y.Map<unknown> | undefined;
  cardId: string;
  seq: number;
  nextDue: number;
  observer: boolean;
}

if (process.send) {
  process.setMaxListeners(0);
  let clients: Client[] = [];
  let hz = 2;
  let start: DriverStart | null = null;
  const latency = new LatencyHistogram();
  const sendLag = new LatencyHistogram();
  let sentInWindow = 0;
  let sentInWindowByObservers = 0;
  let sentByObservers = 0;
  let receivedInWindow = 0;
  const slowBySecond: number[] = [];
  const receivedBySecond: number[] = [];
  let sentTotal = 0;
  let receivedTotal = 0;
  let ticker: NodeJS.Timeout | null = null;
  /** Clients in the order their next edits are due, and which one is next. */
  let schedule: Client[] = [];
  let next = 0;
  /** Clients that only watch (`DriverWatch`): in no schedule. */
  const watchers: Client[] = [];
  let setup: DriverSetup | null = null;
  const send = (message: unknown) => process.send!(message);
  const windowSeconds = () => Math.ceil((start ? start.windowEnd - start.windowStart : 0) / 1000);

  const observe = (client: Client) => {
    const cards = client.doc.getMap('cards');
    cards.observeDeep((events, transaction) => {
      if (transaction.origin !== client.provider || !start) return;
      const now = monotonicMs();
      for (const event of events) {
        if (event.target.parent !== cards) continue;
        const card = event.target as Y.Map<unknown>;
        for (const key of (event as Y.YMapEvent<unknown>).keysChanged) {
          if (!key.startsWith('benchProbe')) continue;
          const value = card.get(key);
          if (typeof value !== 'string') continue;
          const sentAt = Number(value.slice(value.indexOf(':') + 1));
          if (sentAt < start.at) continue;
          receivedTotal++;
          if (sentAt >= start.windowStart && sentAt < start.windowEnd) {
            receivedInWindow++;
            latency.record(now - sentAt);
            const second = Math.floor((sentAt - start.windowStart) / 1000);
            receivedBySecond[second] = (receivedBySecond[second] ?? 0) + 1;
            if (now - sentAt > SLOW_MS) slowBySecond[second] = (slowBySecond[second] ?? 0) + 1;
          }
        }
      }
    });
  };

  const tick = () => {
    ticker = null;
    if (!start) return;
    let now = monotonicMs();
    if (now >= start.windowEnd) return;
    while (schedule.length > 0) {
      const client = schedule[next];
      if (now < client.nextDue) break;
      next = (next + 1) % schedule.length;
      sendLag.record(now - client.nextDue);
      // A driver that fell behind skips the edits it missed rather than bursting them; whole
      // periods, so that the client keeps its place in the schedule.
      do client.nextDue += 1000 / hz;
      while (client.nextDue <= now);
      if (!client.card) continue;
      const seq = client.seq++;
      const sentAt = monotonicMs();
      client.card.set(`benchProbe${seq % KEYS}`, `${seq}:${sentAt.toFixed(3)}`);
      sentTotal++;
      if (client.observer) sentByObservers++;
      if (sentAt >= start.windowStart && sentAt < start.windowEnd) {
        sentInWindow++;
        if (client.observer) sentInWindowByObservers++;
      }
      now = monotonicMs();
    }
    if (schedule.length > 0) ticker = setTimeout(tick, Math.max(0, schedule[next].nextDue - now));
  };

  process.on('message', async (message: DriverSetup | DriverWatch | DriverStart | { type: 'report' | 'progress' | 'close' }) => {
    switch (message.type) {
      case 'watch': {
        if (!setup) return;
        const { syncUrl, room, token } = setup;
        for (let index = 0; index < message.count; index++) {
          const { doc, provider } = stockClient(syncUrl, room, { params: token ? { token } : {} });
          provider.awareness.setLocalStateField('user', { name: `Watcher ${index}` });
          const client: Client = { doc, provider, card: undefined, cardId: '', seq: 0, nextDue: 0, observer: true };
          observe(client);
          watchers.push(client);
        }
        const deadline = Date.now() + 60_000;
        while (!watchers.every((client) => client.provider.synced)) {
          if (Date.now() > deadline) {
            send({ type: 'error', message: 'watchers did not sync' });
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        send({ type: 'watching' });
        break;
      }
      case 'setup': {
        setup = message;
        hz = message.hz;
        clients = message.cardIds.map((cardId, index) => {
          const { doc, provider } = stockClient(message.syncUrl, message.room, { params: message.token ? { token: message.token } : {} });
          // Presence as the web app sets it: who I am and which card I have open.
          provider.awareness.setLocalStateField('user', { name: `Bench ${index}` });
          provider.awareness.setLocalStateField('openCard', cardId);
          // `observers` of the driver's clients, evenly spaced.
          const observer = (index * message.observers) % message.cardIds.length < message.observers;
          const client: Client = { doc, provider, card: undefined, cardId, seq: 0, nextDue: 0, observer };
          if (client.observer) observe(client);
          else if (!message.replicas) {
            provider.once('sync', () => {
              provider.messageHandlers[0] = (_encoder, decoder) => {
                // Sync message type, then the update: read past it and drop it.
                decoding.readVarUint(decoder);
                decoding.readVarUint8Array(decoder);
              };
            });
          }
          return client;
        });
        // Ready when every client is synced and sees its card.
        const deadline = Date.now() + 60_000;
        for (;;) {
          let ready = 0;
          for (const client of clients) {
            if (!client.provider.synced) continue;
            client.card ??= client.doc.getMap('cards').get(client.cardId) as Y.Map<unknown> | undefined;
            if (client.card) ready++;
          }
          if (ready === clients.length) break;
          if (Date.now() > deadline) {
            send({ type: 'error', message: `only ${ready} of ${clients.length} clients synced` });
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        send({ type: 'ready' });
        break;
      }
      case 'start': {
        start = message;
        const period = 1000 / hz;
        // Spread the clients' edits at random over the period.
        clients.forEach((client) => {
          client.nextDue = message.at + Math.random() * period;
        });
        schedule = [...clients].sort((a, b) => a.nextDue - b.nextDue);
        next = 0;
        // A driver that only holds watchers has no edits to make.
        if (schedule.length > 0) ticker = setTimeout(tick, Math.max(0, schedule[0].nextDue - monotonicMs()));
        break;
      }
      case 'progress':
        send({ type: 'progress', sentTotal, sentByObservers, receivedTotal });
        break;
      case 'report': {
        const report: DriverReport = {
          type: 'report',
          latency: { counts: latency.counts, max: latency.max },
          sendLag: { counts: sendLag.counts, max: sendLag.max },
          sentInWindow,
          sentInWindowByObservers,
          receivedInWindow,
          slowBySecond: Array.from({ length: windowSeconds() }, (_, second) => slowBySecond[second] ?? 0),
          receivedBySecond: Array.from({ length: windowSeconds() }, (_, second) => receivedBySecond[second] ?? 0),
          sentTotal,
          receivedTotal,
        };
        send(report);
        break;
      }
      case 'close':
        if (ticker) clearTimeout(ticker);
        for (const client of [...clients, ...watchers]) client.provider.destroy();
        setTimeout(() => process.exit(0), 200);
        break;
    }
  });
  send({ type: 'started' });
}
