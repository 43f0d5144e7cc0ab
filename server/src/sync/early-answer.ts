/**
 * Serving a stored snapshot while the room still loads. When the stored document is one snapshot
 * (no logged update after it) compacted at the current schema version, no migration will change
 * it: a fresh client that may read everything the document ever held is answered with it at once,
 * before the server has applied it, which overlaps the server's load with the transfer and the
 * client's own apply. The snapshot is stored, so "stored before relayed" holds; anything the
 * document gains during the load reaches those clients when they are greeted.
 */
import type { SyncConnection } from './connection.js';
import { encodeSyncStep2Message } from './protocol.js';

/**
 * Longest the load waits, once it has read a stored snapshot it may serve early, for the first
 * frame of a client connected to the room but silent so far (default 10 ms). Applying a 5,000-card
 * snapshot blocks the process for 300 ms after a restart, and a sync step 1 that arrives during it
 * is only read after it; a stock client sends its step 1 as soon as the socket opens, so the frame
 * is normally already in flight and the wait ends at its arrival. The load is delayed by at most
 * this much when a client is slow or sends nothing.
 */
export const EARLY_ANSWER_WAIT_MS = 10;

/**
 * Longest the load then waits for the early answers to be handed to the kernel (default 20 ms). A
 * 2 MB frame does not fit the socket's buffer at once, and what is left of it is only written when
 * the event loop runs again: after the 300 ms apply, which would undo the overlap. On loopback or a
 * fast network the write is done in a few milliseconds; on a slow one the wait is cut short and the
 * rest goes out after the apply, as it did before.
 */
export const EARLY_ANSWER_FLUSH_MS = 20;

export class EarlyAnswer {
  /** The sync step 2 carrying the snapshot. */
  readonly message: Uint8Array;
  /** The connections answered with it. */
  readonly answered = new Set<SyncConnection>();
  readonly #written: Promise<void>[] = [];
  /** Ends the load's wait for silent clients' first frames. */
  #firstFramesArrived: (() => void) | null = null;

  /**
   * @param update the stored snapshot.
   * @param mayHave whether a connection may be answered before the load (one that may read everything).
   * @param onSendError a send failed: the connection is removed.
   */
  constructor(
    readonly update: Uint8Array,
    private readonly mayHave: (connection: SyncConnection) => boolean,
    private readonly onSendError: (connection: SyncConnection) => void,
  ) {
    this.message = encodeSyncStep2Message(update);
  }

  /** Sends the snapshot to a fresh client; false when it may not have it or already had it. */
  answer(connection: SyncConnection): boolean {
    if (!this.mayHave(connection) || this.answered.has(connection)) return false;
    this.answered.add(connection);
    const socket = connection.socket;
    if (socket.readyState !== socket.OPEN) return true;
    this.#written.push(
      new Promise<void>((resolve) =>
        socket.send(this.message, (error) => {
          if (error) this.onSendError(connection);
          resolve();
        }),
      ),
    );
    return true;
  }

  /** A frame arrived from a connection of the loading room: the wait for first frames may end. */
  frameArrived(connections: Iterable<SyncConnection>): void {
    if (this.#firstFramesArrived && !this.#hasSilentReader(connections)) this.#firstFramesArrived();
  }

  /**
   * Gives silent clients up to `EARLY_ANSWER_WAIT_MS` to send their sync step 1 before the process
   * blocks applying the snapshot, then the answers up to `EARLY_ANSWER_FLUSH_MS` to be written.
   */
  async settle(connections: () => Iterable<SyncConnection>): Promise<void> {
    // A socket admitted in this turn joins, and its buffered frames are read, only at the event
    // loop's next poll: two immediates put one poll phase between here and the apply.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.#hasSilentReader(connections())) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => this.#firstFramesArrived?.(), EARLY_ANSWER_WAIT_MS);
        this.#firstFramesArrived = () => {
          clearTimeout(timer);
          this.#firstFramesArrived = null;
          resolve();
        };
      });
    }
    if (this.#written.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.#written), new Promise<void>((resolve) => (timer = setTimeout(resolve, EARLY_ANSWER_FLUSH_MS)))]);
    clearTimeout(timer);
  }

  /** A connection that may have the snapshot, connected while the room loads, that has sent nothing yet. */
  #hasSilentReader(connections: Iterable<SyncConnection>): boolean {
    for (const connection of connections) {
      if (this.mayHave(connection) && connection.pending?.length === 0 && !this.answered.has(connection)) return true;
    }
    return false;
  }
}
