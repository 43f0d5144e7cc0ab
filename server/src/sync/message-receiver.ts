/**
 * What the room does with each decoded frame of a connection: a sync request goes to the replies,
 * a write is refused (read-only, too large) or applied, presence goes to the room's presence. A
 * frame that breaks the protocol closes that connection only (`MalformedMessage`).
 */
import type { Logger } from 'pino';
import * as Y from 'yjs';
import { CloseCode, REMOTE_ORIGIN } from '@passerelle/shared';
import type { Inbound, SyncConnection } from './connection.js';
import type { RoomPresence } from './presence.js';
import { MalformedFrameError, takePendingUpdate, type SyncMessage } from './protocol.js';
import type { SyncReplies } from './sync-replies.js';

/** What the receiver needs of its room. */
export interface ReceiverHost {
  readonly doc: Y.Doc;
  readonly logger: Logger;
  readonly presence: RoomPresence;
  readonly replies: SyncReplies;
  /** Largest stored size of the document (`maxDocumentBytes`). */
  readonly maxDocumentBytes: number;
  /** Bytes the document takes in the store now. */
  storedBytes(): number;
  send(connection: SyncConnection, message: Uint8Array): void;
  /** Closes a connection the server turns away (counted by close code). */
  drop(connection: SyncConnection, code: number, reason: string): void;
  /** A read-only person tried to change the document (the kind's `onWriteRefused`). */
  onWriteRefused?(userId: string): void;
}

export class MessageReceiver {
  readonly #host: ReceiverHost;

  constructor(host: ReceiverHost) {
    this.#host = host;
  }

  /** Handles one frame of a connection of a ready room. */
  handle(connection: SyncConnection, inbound: Inbound): void {
    try {
      if ('error' in inbound) this.#refuseMalformed(connection, inbound.error);
      else this.#dispatch(connection, inbound.message);
    } catch (error) {
      this.#host.logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'malformed sync message; closing that connection');
      this.#host.drop(connection, CloseCode.MalformedMessage, 'malformed message');
    }
  }

  #dispatch(connection: SyncConnection, message: SyncMessage): void {
    const host = this.#host;
    switch (message.type) {
      case 'step1':
        if (!connection.step1Requests.take()) this.#tooManyRequests(connection);
        // Throws on an undecodable state vector: the connection is closed as malformed.
        else host.replies.request(connection, message.stateVector);
        return;
      case 'step2':
      case 'update':
        this.#write(connection, message.update);
        return;
      case 'awareness':
        if (host.presence.receive(connection, message.update) === 'too-large') {
          host.logger.warn({ userId: connection.actor.userId }, 'presence state too large; closing that connection');
          host.drop(connection, CloseCode.MalformedMessage, 'presence state too large');
        }
        return;
      case 'query-awareness':
        // Answered with every state in the room: it counts as a request for the document's state.
        if (!connection.step1Requests.take()) this.#tooManyRequests(connection);
        else host.send(connection, host.presence.query());
        return;
      case 'auth':
        // Authentication happens on the HTTP upgrade; the in-band auth message is not used.
        return;
    }
  }

  /**
   * A frame that could not be decoded. A step 2 or update whose bytes ran out is judged first on
   * the size it declared, as a writer's update: one that would make the document too large is
   * refused as such. Anything else is malformed (rethrown).
   */
  #refuseMalformed(connection: SyncConnection, error: unknown): void {
    if (error instanceof MalformedFrameError && error.declaredUpdateBytes !== undefined && !connection.actor.readOnly) {
      if (this.#refuseOversized(connection, error.declaredUpdateBytes)) return;
    }
    throw error;
  }

  /** A step 2 or update: refused for a read-only person or past the size limit, else applied as the connection's change. */
  #write(connection: SyncConnection, update: Uint8Array): void {
    if (connection.actor.readOnly) {
      this.#refuseWrite(connection, update);
      return;
    }
    if (this.#refuseOversized(connection, update.byteLength)) return;
    const doc = this.#host.doc;
    // Yjs keeps what an update cannot integrate yet (its structs wait for missing ones) and
    // integrates it inside whichever later update completes it: in that update's transaction,
    // where the rules would judge it as that person's change. So nothing waits across
    // connections: updates from other processes waiting for a gap are set aside while this
    // message applies, and what this message leaves waiting is dropped (a client only builds
    // on what the server sent it, so only a forged update leaves a gap here).
    const waiting = takePendingUpdate(doc);
    // Throws on an undecodable update, which closes that socket.
    try {
      Y.applyUpdate(doc, update, connection);
    } finally {
      if (takePendingUpdate(doc)) this.#host.logger.warn({ userId: connection.actor.userId }, 'update with missing dependencies dropped');
      if (waiting) Y.applyUpdateV2(doc, waiting, REMOTE_ORIGIN);
    }
  }

  /** A read-only person's write: dropped; the client and the person are told when it would have changed something. */
  #refuseWrite(connection: SyncConnection, update: Uint8Array): void {
    const refusal = connection.refuseWrite(this.#host.doc, update);
    if (refusal === 'unchanged') return;
    if (refusal !== 'refused') {
      this.#host.send(connection, refusal.notice);
      this.#host.onWriteRefused?.(connection.actor.userId);
    }
    this.#host.logger.info({ userId: connection.actor.userId }, 'write from a read-only connection refused');
  }

  /**
   * An update (or sync step 2) that would grow the stored document past the limit is not applied:
   * the socket is closed with a final code, so the client does not send it again and again.
   * Returns true when it was refused.
   */
  #refuseOversized(connection: SyncConnection, updateBytes: number): boolean {
    const storedBytes = this.#host.storedBytes();
    if (storedBytes + updateBytes <= this.#host.maxDocumentBytes) return false;
    this.#host.logger.warn({ userId: connection.actor.userId, storedBytes, updateBytes }, 'update would make the document too large; refused');
    this.#host.drop(connection, CloseCode.DocumentTooLarge, 'document too large');
    return true;
  }

  #tooManyRequests(connection: SyncConnection): void {
    this.#host.logger.warn({ userId: connection.actor.userId }, 'connection asked for the document too often; closing it');
    this.#host.drop(connection, CloseCode.TooManyMessages, 'too many sync requests');
  }
}
