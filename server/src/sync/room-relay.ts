/**
 * What a room sends its own clients at each fan-out: every stored batch of updates (one frame for
 * everyone, the rest of the batch for its senders, the redacted view for readers the kind's rules
 * give one) and the presence changes, which it also publishes to the other processes.
 */
import * as Y from 'yjs';
import type { SyncMetrics } from '../observability/metrics.js';
import type { ConnectionIdentity, SyncConnection } from './connection.js';
import type { QueuedUpdate } from './document-log.js';
import type { DocumentFanout } from './fanout.js';
import type { RoomPresence } from './presence.js';
import { encodeUpdateMessage } from './protocol.js';
import { batchFrames } from './relay.js';

/** What the relay needs of its room. */
export interface RelayHost {
  readonly name: string;
  readonly doc: Y.Doc;
  readonly presence: RoomPresence;
  readonly metrics: SyncMetrics;
  /** Other processes serving the same documents (Redis mode); absent with one process. */
  readonly fanout?: DocumentFanout;
  /** The room's connections, as they are now. */
  connections(): Iterable<SyncConnection>;
  /** Whether a transaction origin is a connection of the room. */
  isConnection(origin: unknown): origin is SyncConnection;
  /** Whether a reader may receive every update as applied (the kind's `beforeRelay`). */
  seesEverything(reader: ConnectionIdentity): boolean;
  send(connection: SyncConnection, message: Uint8Array): void;
}

export class RoomRelay {
  readonly #host: RelayHost;

  constructor(host: RelayHost) {
    this.#host = host;
  }

  /**
   * Prepares the relay of one batch, before it is stored: the redacted view is encoded now, while
   * the document holds exactly what is stored or in this batch, so it carries nothing that is not
   * about to be stored.
   */
  prepareRelay(batch: readonly QueuedUpdate[], base: Map<number, number> | null): (merged: Uint8Array) => void {
    const redactedRelay = base && batch.some((entry) => entry.redacted) ? this.#redactedRelay(base) : null;
    return (merged) => this.#relay(batch, merged, redactedRelay);
  }

  /** Relays the presence changes since the last fan-out as one message, and publishes this process's to the others. */
  relayAwareness(): void {
    const host = this.#host;
    const { message, publish } = host.presence.takeChanges();
    if (message) for (const connection of host.connections()) if (!connection.pending) host.send(connection, message);
    if (publish) host.fanout?.publishAwareness(host.name, publish);
  }

  /**
   * Sends one stored batch: the same frame to everyone, except to readers with a redacted view when
   * it carried redacted content, and to the connections that sent part of it, which get the rest of
   * it. On a busy board, where a batch holds the updates of many senders, the senders get the shared
   * frame too (see `MAX_MERGED_FOR_SENDERS`).
   */
  #relay(batch: readonly QueuedUpdate[], merged: Uint8Array, redactedRelay: Uint8Array | null): void {
    const host = this.#host;
    const senders = new Set<SyncConnection>();
    for (const { origin } of batch) if (host.isConnection(origin)) senders.add(origin);
    const { shared, rest } = batchFrames(batch, merged, senders);
    let sent = 0;
    for (const connection of host.connections()) {
      if (connection.pending) continue;
      // A redacted relay may repeat the reader's own update: Yjs ignores what it already has.
      const frame = redactedRelay && !host.seesEverything(connection.actor) ? redactedRelay : rest.has(connection) ? rest.get(connection) : shared;
      if (frame) {
        host.send(connection, frame);
        sent += 1;
      }
    }
    if (sent === 0) return;
    host.metrics.updatesRelayed(sent);
    const relayedAt = performance.now();
    for (const entry of batch) host.metrics.fanoutDelay((relayedAt - entry.receivedAt) / 1000);
  }

  /** The document's changes since `base` as an update message, when some reader needs the redacted view; removed content is only a tombstone in it. */
  #redactedRelay(base: Map<number, number>): Uint8Array | null {
    const host = this.#host;
    let needed = false;
    for (const connection of host.connections()) if (!host.seesEverything(connection.actor)) needed = true;
    return needed ? encodeUpdateMessage(Y.encodeStateAsUpdate(host.doc, Y.encodeStateVector(base))) : null;
  }
}
