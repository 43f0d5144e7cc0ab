/**
 * How many of this person's changes to one document the server has not received yet.
 *
 * y-websocket sends changes without any acknowledgement, so the count goes down only on proof:
 * the server handles one connection's frames in order and answers each sync step 1 with one step 2,
 * so once the answer to a step 1 sent after some changes arrives, the server has received and applied
 * every one of them. A probe (one step 1) goes out after changes while connected, and after the
 * handshake of a new connection, once the server's own step 1 was answered with what this browser
 * holds (what was edited offline). At most one probe is out at a time (the server may replace a
 * waiting request with a newer one, so two could get one answer). The count is kept with the
 * document's local copy, so changes made offline are still counted after a reload.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';
import type { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';
import { waitingChanges } from '../offline/waiting-changes.svelte.js';

/** The y-websocket message type of sync messages. */
const MESSAGE_SYNC = 0;
/** How long changes made while connected wait before a probe asks the server to confirm them. */
const PROBE_DELAY_MS = 250;
/**
 * The least time between two probes. The server closes a connection that sends more than two sync
 * step 1 a second for long (`step1PerSecond`, bursts of 4): someone typing without a pause would
 * otherwise probe about four times a second and be cut off after a few seconds. One a second leaves
 * room for the handshake of a reconnection.
 */
const PROBE_INTERVAL_MS = 1_000;
/** The key of the count in the local copy's own store. */
const PENDING_KEY = 'pendingChanges';

type SyncHandler = WebsocketProvider['messageHandlers'][number];

export class PendingChanges {
  /** Changes of this person's that the server has not confirmed yet. */
  count = $state(0);

  readonly #provider: WebsocketProvider;
  /** Whom the count is reported to the app's header as: one key per open document. */
  readonly #reportKey = crypto.randomUUID();
  /** Called once the count is back to 0. */
  #onSent: (() => void) | null = null;
  readonly #copy: IndexeddbPersistence | null;
  /** The document's 'update' listener that counts this person's changes. */
  readonly onUpdate: (update: Uint8Array, origin: unknown) => void;
  /** How many changes the probe out now covers; null when none is out. */
  #probeCovers: number | null = null;
  /** Whether this connection's server already asked for what this browser holds (its step 1). */
  #serverAsked = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** When the last probe went out (`performance.now()`). */
  #lastProbeAt = -Infinity;
  #destroyed = false;

  constructor(doc: Y.Doc, provider: WebsocketProvider, copy: IndexeddbPersistence | null) {
    this.#provider = provider;
    this.#copy = copy;

    this.onUpdate = (_update: Uint8Array, origin: unknown) => {
      // The server's changes arrive with the provider as origin; the local
      // copy's, with the copy. Everything else was made here.
      if (origin === provider || (copy !== null && origin === copy)) return;
      this.#set(this.count + 1);
      this.#schedule(PROBE_DELAY_MS);
    };
    doc.on('update', this.onUpdate);

    const original = provider.messageHandlers[MESSAGE_SYNC] as SyncHandler;
    provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, handlerProvider, fromServer, messageType) => {
      const kind = decoding.peekVarUint(decoder);
      const wasSynced = handlerProvider.synced;
      original(encoder, decoder, handlerProvider, fromServer, messageType);
      // Messages from anywhere but the server (a BroadcastChannel) prove nothing about it.
      if (!fromServer) return;
      if (kind === syncProtocol.messageYjsSyncStep1) {
        // The answer (what this browser holds) is sent when this handler returns: probe after it.
        this.#serverAsked = true;
        this.#schedule(0);
      } else if (kind === syncProtocol.messageYjsSyncStep2 && wasSynced && this.#probeCovers !== null) {
        this.#set(Math.max(0, this.count - this.#probeCovers));
        this.#probeCovers = null;
        if (this.count > 0) this.#schedule(PROBE_DELAY_MS);
      }
    };

    provider.on('status', ({ status }) => {
      if (status === 'connected') return;
      // A probe sent on a closed connection is never answered; the next connection starts over.
      this.#probeCovers = null;
      this.#serverAsked = false;
    });
    provider.on('sync', (synced: boolean) => {
      if (synced) this.#schedule(0);
    });

    if (copy) {
      void copy.get(PENDING_KEY).then((saved: unknown) => {
        // Changes counted before the copy was read are on top of those it kept.
        if (!this.#destroyed && typeof saved === 'number' && saved > 0) this.#set(this.count + saved);
      });
    }
  }

  /** Calls `sent` once no change is waiting any more (at once if none is). */
  whenSent(sent: () => void): void {
    if (this.count === 0) sent();
    else this.#onSent = sent;
  }

  /** Stops probing (the document is closed). */
  destroy(): void {
    this.#destroyed = true;
    if (this.#timer) clearTimeout(this.#timer);
    waitingChanges.report(this.#reportKey, 0);
  }

  #set(count: number): void {
    this.count = count;
    if (!this.#destroyed) waitingChanges.report(this.#reportKey, count);
    if (count === 0 && this.#onSent) {
      const sent = this.#onSent;
      this.#onSent = null;
      sent();
    }
    if (this.#copy && !this.#destroyed) void this.#copy.set(PENDING_KEY, count).catch(() => {});
  }

  #schedule(delay: number): void {
    if (this.#timer || this.#destroyed) return;
    delay = Math.max(delay, this.#lastProbeAt + PROBE_INTERVAL_MS - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#probe();
    }, delay);
  }

  #probe(): void {
    const provider = this.#provider;
    const ws = provider.ws;
    if (this.#destroyed || this.count === 0 || this.#probeCovers !== null) return;
    // Before the handshake is done, the server's answer to this browser's first step 1 is still due.
    if (!provider.wsconnected || !provider.synced || !this.#serverAsked || !ws || ws.readyState !== WebSocket.OPEN) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, provider.doc);
    this.#probeCovers = this.count;
    this.#lastProbeAt = performance.now();
    ws.send(encoding.toUint8Array(encoder));
  }
}
