/**
 * A room's presence (the y-protocols awareness): whose states each connection speaks for, what
 * changed since the last fan-out, and what this process's clients tell the other processes. Each
 * state is stamped with its connection's identity on arrival (`SyncConnection.stampAwareness`).
 */
import type * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { REMOTE_ORIGIN } from '@passerelle/shared';
import type { SyncConnection } from './connection.js';
import { encodeAwarenessMessage } from './protocol.js';

export interface RoomPresenceOptions {
  /** Whether a transaction origin is a connection of the room. */
  isConnection(origin: unknown): origin is SyncConnection;
  /** Whether other processes serve the same document (their clients' presence comes and goes through them). */
  publishes: boolean;
  /** Something changed: the room arms its next fan-out. */
  onChange(): void;
}

export class RoomPresence {
  readonly awareness: awarenessProtocol.Awareness;
  readonly #options: RoomPresenceOptions;
  /** Which connection speaks for each awareness client id (a client may not speak for another's). */
  readonly #owners = new Map<number, SyncConnection>();
  /** Client ids changed since the last fan-out: all of them for this process's clients, and those to publish to the other processes. */
  readonly #changed = new Set<number>();
  readonly #toPublish = new Set<number>();

  constructor(doc: Y.Doc, options: RoomPresenceOptions) {
    this.#options = options;
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server speaks for no one in the awareness.
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.#onUpdate);
  }

  /** Applies a connection's awareness update, stamped with its identity; `'too-large'` when a state is over the limit. */
  receive(connection: SyncConnection, update: Uint8Array): 'too-large' | void {
    const stamped = connection.stampAwareness(update, this.awareness, (clientId) => this.#owners.get(clientId));
    if (stamped === 'too-large') return stamped;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, stamped, connection);
  }

  /** Applies an awareness update from another process's clients (already stamped there). */
  receiveRemote(update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE_ORIGIN);
  }

  /** Every state in the room as one message, or null when there is none. */
  everyone(): Uint8Array | null {
    const states = this.awareness.getStates();
    return states.size > 0 ? encodeAwarenessMessage(this.awareness, [...states.keys()]) : null;
  }

  /** Every state in the room as one message (possibly empty): the answer to a presence query. */
  query(): Uint8Array {
    return encodeAwarenessMessage(this.awareness, [...this.awareness.getStates().keys()]);
  }

  /**
   * The changes since the last call, each encoded once: the message for this process's clients
   * (each client's latest state and its departure) and the update to publish to the other processes.
   */
  takeChanges(): { message: Uint8Array | null; publish: Uint8Array | null } {
    let message: Uint8Array | null = null;
    let publish: Uint8Array | null = null;
    if (this.#changed.size > 0) {
      message = encodeAwarenessMessage(this.awareness, [...this.#changed]);
      this.#changed.clear();
    }
    if (this.#toPublish.size > 0) {
      publish = awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.#toPublish]);
      this.#toPublish.clear();
    }
    return { message, publish };
  }

  /** A connection left: the states it spoke for go. */
  remove(connection: SyncConnection): void {
    for (const id of connection.awarenessIds) if (this.#owners.get(id) === connection) this.#owners.delete(id);
    if (connection.awarenessIds.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], null);
  }

  destroy(): void {
    this.awareness.off('update', this.#onUpdate);
    this.awareness.destroy();
  }

  #onUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    if (this.#options.isConnection(origin)) {
      origin.trackAwareness(added, removed);
      for (const id of added) this.#owners.set(id, origin);
    }
    for (const id of removed) this.#owners.delete(id);
    // This process's clients (and their departures) are told to the other processes.
    const publish = origin !== REMOTE_ORIGIN && this.#options.publishes;
    for (const changed of [added, updated, removed]) {
      for (const id of changed) {
        this.#changed.add(id);
        if (publish) this.#toPublish.add(id);
      }
    }
    if (this.#changed.size > 0) this.#options.onChange();
  };
}
