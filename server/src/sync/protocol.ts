/**
 * The y-websocket protocol, read and written in one place and knowing no socket: a frame is decoded
 * once into a tagged `SyncMessage`, which the room hands to the part whose job it is; every frame the
 * server sends is built by an encoder here. Stock y-websocket clients speak exactly this.
 */
import * as Y from 'yjs';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** y-websocket message types (the first varuint of every frame). */
export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const;

/** One frame from a client, decoded. */
export type SyncMessage =
  /** A client asks for what the document has beyond its state vector (still encoded; decoded when answered). */
  | { type: 'step1'; stateVector: Uint8Array }
  /** A client sends what the server's state vector lacks: a write like any update. */
  | { type: 'step2'; update: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  /** An awareness update (presence), still encoded: its entries are read within bounds by the connection. */
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }
  /** The in-band auth message: unused, authentication happens on the HTTP upgrade. */
  | { type: 'auth' };

/** A frame that is not valid protocol; `declaredUpdateBytes` is the size a step 2 or update claimed before its bytes ran out. */
export class MalformedFrameError extends Error {
  constructor(
    message: string,
    readonly declaredUpdateBytes?: number,
  ) {
    super(message);
    this.name = 'MalformedFrameError';
  }
}

/** Decodes one binary frame; throws `MalformedFrameError` (or lib0's decoding errors) when it is not valid protocol. */
export function readMessage(frame: Uint8Array): SyncMessage {
  const decoder = decoding.createDecoder(frame);
  const messageType = decoding.readVarUint(decoder);
  switch (messageType) {
    case MessageType.Sync: {
      const syncType = decoding.readVarUint(decoder);
      if (syncType === syncProtocol.messageYjsSyncStep1) return { type: 'step1', stateVector: decoding.readVarUint8Array(decoder) };
      if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
        const size = decoding.readVarUint(decoder);
        let update: Uint8Array;
        try {
          update = decoding.readUint8Array(decoder, size);
        } catch (error) {
          throw new MalformedFrameError(error instanceof Error ? error.message : String(error), size);
        }
        return { type: syncType === syncProtocol.messageYjsSyncStep2 ? 'step2' : 'update', update };
      }
      throw new MalformedFrameError('Unknown message type');
    }
    case MessageType.Awareness:
      return { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
    case MessageType.QueryAwareness:
      return { type: 'query-awareness' };
    case MessageType.Auth:
      return { type: 'auth' };
    default:
      throw new MalformedFrameError(`unknown message type ${messageType}`);
  }
}

/** True for a sync step 1 with an empty state vector: a client that has nothing of the document yet. */
export function isFreshClientStep1(message: SyncMessage): boolean {
  // An empty state vector is the single varuint 0 (no clients).
  return message.type === 'step1' && message.stateVector.byteLength === 1 && message.stateVector[0] === 0;
}

/** One entry of an awareness update: a client id, its clock and its state as JSON (`'null'` for a departure). */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: string;
}

/**
 * Reads the entries of an awareness update, at most `maxEntries` of them (the rest is left unread).
 * Returns `'too-large'` as soon as an entry's state is longer than `maxStateBytes`, before reading it.
 */
export function readAwarenessEntries(update: Uint8Array, bounds: { maxEntries: number; maxStateBytes: number }): AwarenessEntry[] | 'too-large' {
  const decoder = decoding.createDecoder(update);
  const count = Math.min(decoding.readVarUint(decoder), bounds.maxEntries);
  const entries: AwarenessEntry[] = [];
  for (let index = 0; index < count; index++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    if (decoding.peekVarUint(decoder) > bounds.maxStateBytes) return 'too-large';
    entries.push({ clientId, clock, state: decoding.readVarString(decoder) });
  }
  return entries;
}

/** An awareness update holding `entries`. */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return encoding.toUint8Array(encoder);
}

/** The sync step 1 carrying the document's state vector: the server's first words to a client. */
export function encodeSyncStep1Message(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** A sync step 2 message carrying `update`, built with one allocation (it may be megabytes). */
export function encodeSyncStep2Message(update: Uint8Array): Uint8Array {
  const header = encoding.createEncoder();
  encoding.writeVarUint(header, MessageType.Sync);
  encoding.writeVarUint(header, syncProtocol.messageYjsSyncStep2);
  encoding.writeVarUint(header, update.byteLength);
  const prefix = encoding.toUint8Array(header);
  const message = new Uint8Array(prefix.byteLength + update.byteLength);
  message.set(prefix);
  message.set(update, prefix.byteLength);
  return message;
}

/** A sync update message carrying `update`. */
export function encodeUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** An awareness message with the current states (or departures) of `clients`. */
export function encodeAwarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}

/** The protocol's permission-denied message (stock clients log its reason). */
export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Auth);
  authProtocol.writePermissionDenied(encoder, reason);
  return encoding.toUint8Array(encoder);
}

/** One update holding every given update (the update itself when there is one). */
export function mergeUpdates(entries: readonly { update: Uint8Array }[]): Uint8Array {
  return entries.length === 1 ? entries[0].update : Y.mergeUpdates(entries.map((entry) => entry.update));
}

/**
 * Whether applying `update` would change `doc`: it holds structs the document lacks, or deletes
 * something the document has not deleted. A client's sync step 2 always repeats its whole delete set,
 * so a read-only client that changed nothing is told apart from one that tried to. The cost follows
 * the update, never the document: each deleted range is looked up in the document's structs (which
 * Yjs merges once deleted), so a viewer repeating small messages does not make the server scan the
 * whole board each time.
 */
export function wouldChange(doc: Y.Doc, update: Uint8Array): boolean {
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update))) {
    if (clock > Y.getState(doc.store, client)) return true;
  }
  const { ds } = Y.decodeUpdate(update);
  for (const [client, ranges] of ds.clients) {
    const structs = doc.store.clients.get(client);
    const state = Y.getState(doc.store, client);
    for (const range of ranges) {
      if (range.len <= 0) continue;
      const end = range.clock + range.len;
      // Deleting what the document has not received yet would be kept as a pending deletion: a change.
      if (!structs || end > state) return true;
      for (let index = Y.findIndexSS(structs, range.clock); index < structs.length && structs[index].id.clock < end; index++) {
        if (!structs[index].deleted) return true;
      }
    }
  }
  return false;
}

/**
 * Takes out of `doc` what waits there for missing structs or deletions, as one V2 update, or null.
 * Yjs keeps what an update cannot integrate yet and integrates it inside whichever later update
 * completes it, in that update's transaction; the room sets it aside so nothing waits across
 * connections.
 */
export function takePendingUpdate(doc: Y.Doc): Uint8Array | null {
  const store = doc.store;
  const parts: Uint8Array[] = [];
  if (store.pendingStructs) parts.push(store.pendingStructs.update);
  if (store.pendingDs) parts.push(store.pendingDs);
  store.pendingStructs = null;
  store.pendingDs = null;
  return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : Y.mergeUpdatesV2(parts);
}
