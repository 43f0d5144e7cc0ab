/**
 * One client of a room, and the rules that are about it alone: how fast it may send, that a
 * read-only person's writes are refused, and that its presence speaks for the person signed in.
 * It decides; the room acts (sends, drops, applies).
 */
import type { WebSocket } from 'ws';
import type * as Y from 'yjs';
import type * as awarenessProtocol from 'y-protocols/awareness';
import { colorForUser } from '@passerelle/shared';
import { encodeAwarenessEntries, encodePermissionDenied, readAwarenessEntries, readMessage, wouldChange, type AwarenessEntry, type SyncMessage } from './protocol.js';
import { TokenBucket, type SyncWorkLimits } from './sync-budget.js';

/** Who is behind a connection, as the room needs to know it. */
export interface ConnectionIdentity {
  /** The member's or guest's id. */
  userId: string;
  name: string;
  kind: 'member' | 'guest';
  /** Departments the person signs off for (guests: none); read by the rules of the document's kind. */
  departments: readonly string[];
  /** What the person may do across the workspace (administrator, agreements manager); read by the rules of the document's kind. */
  capabilities?: readonly string[];
  /** The person may read but not change the document (below the role its kind lets write). */
  readOnly: boolean;
  /** The person's role on the document, as its kind's access rule gave it: read by the kind's rules, never by the core. */
  role?: string;
}

/**
 * Largest awareness state one client may publish, in bytes of its JSON (default 8 KiB). A
 * person's presence (name, colour, open card, pointer, text cursor) takes a few hundred bytes;
 * every state is parsed, stamped and relayed to everyone in the room, so a larger one is refused
 * and its connection closed as malformed.
 */
export const MAX_PRESENCE_STATE_BYTES = 8 * 1024;

/**
 * Awareness client ids one connection may speak for (default 4). A stock client speaks for one,
 * its document's; states for further ids are ignored, so one connection cannot fill the room's
 * presence with made-up people.
 */
export const MAX_PRESENCE_IDS_PER_CONNECTION = 4;

/**
 * Entries of one awareness message read beyond the room's own states (default 64). A stock client
 * echoes every change it hears, so a message may list everyone in the room; the rest of a longer
 * one is ignored unread.
 */
export const PRESENCE_ENTRIES_MARGIN = 64;

/** How long a read-only connection's refused writes stay quiet before it is told again. */
export const REFUSAL_NOTICE_INTERVAL_MS = 5_000;

/** What the permission-denied message tells a read-only client. */
const READ_ONLY_REASON = 'read-only: your role on this board does not allow changes';

/** A frame as it arrived: decoded, or the reason it could not be (reported when the frame's turn comes). */
export type Inbound = { message: SyncMessage } | { error: unknown };

/** What became of a raw WebSocket message. */
export type Received = Inbound | { refused: 'text frame' | 'too fast' };

/** What to do with a read-only connection's write. */
export type WriteRefusal =
  /** It would change nothing (a client's sync step 2 repeats what it has): dropped quietly. */
  | 'unchanged'
  /** Refused; the client and the person are told (`notice` is the permission-denied frame). */
  | { notice: Uint8Array }
  /** Refused; told a moment ago, so not told again yet. */
  | 'refused';

export class SyncConnection {
  /** Awareness client ids this connection speaks for. */
  readonly awarenessIds = new Set<number>();
  /** Frames received while the document was still loading, handled in order once it is ready; null once greeted. */
  pending: Inbound[] | null = [];
  /** Sync step 1 requests (`step1PerSecond`). */
  readonly step1Requests: TokenBucket;
  /** The state vector of its latest sync step 1 not answered yet (normalized), or null. */
  deferredStep1: Map<number, number> | null = null;
  /** The message rate limit (`maxMessagesPerSecond`, bursts of twice that). */
  readonly #messages: TokenBucket;
  /** When the connection was last told that its writes are refused. */
  #lastRefusalNotice = 0;
  /**
   * The last awareness state received for each client id of this connection, as sent and as
   * stamped: a client repeats its unchanged state every 15 s, and the repeat needs no new stamp.
   */
  readonly #stamped = new Map<number, { sent: string; stamped: string }>();

  constructor(
    readonly socket: WebSocket,
    readonly actor: ConnectionIdentity,
    limits: { maxMessagesPerSecond: number } & Pick<SyncWorkLimits, 'step1PerSecond' | 'step1Burst'>,
  ) {
    this.#messages = new TokenBucket(limits.maxMessagesPerSecond, limits.maxMessagesPerSecond * 2);
    this.step1Requests = new TokenBucket(limits.step1PerSecond, limits.step1Burst);
  }

  /** Reads a WebSocket message: refused when it is text or comes too fast, else decoded once. */
  receive(data: Buffer, isBinary: boolean): Received {
    if (!isBinary) return { refused: 'text frame' };
    if (!this.#messages.take()) return { refused: 'too fast' };
    try {
      return { message: readMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) };
    } catch (error) {
      return { error };
    }
  }

  /**
   * A read-only connection may ask for the document (sync step 1) but not change it: a step 2 or an
   * update is dropped. When it would have changed something, the client is told with the protocol's
   * permission-denied message (stock clients log it), at most every `REFUSAL_NOTICE_INTERVAL_MS`.
   */
  refuseWrite(doc: Y.Doc, update: Uint8Array, now = Date.now()): WriteRefusal {
    if (!wouldChange(doc, update)) return 'unchanged';
    if (now - this.#lastRefusalNotice < REFUSAL_NOTICE_INTERVAL_MS) return 'refused';
    this.#lastRefusalNotice = now;
    return { notice: encodePermissionDenied(READ_ONLY_REASON) };
  }

  /**
   * Presence is only as trustworthy as the server makes it: each awareness state this connection
   * sends has its `user` replaced by the authenticated identity, and it cannot speak for an awareness
   * client id another connection owns (`ownerOf`), nor for more than `MAX_PRESENCE_IDS_PER_CONNECTION`.
   * Returns the stamped update, or `'too-large'` for a state over `MAX_PRESENCE_STATE_BYTES`.
   */
  stampAwareness(update: Uint8Array, awareness: awarenessProtocol.Awareness, ownerOf: (clientId: number) => SyncConnection | undefined): Uint8Array | 'too-large' {
    // A stock client echoes what it hears, so a message may list everyone; beyond that, unread.
    const read = readAwarenessEntries(update, { maxEntries: awareness.states.size + PRESENCE_ENTRIES_MARGIN, maxStateBytes: MAX_PRESENCE_STATE_BYTES });
    if (read === 'too-large') return read;
    const entries: AwarenessEntry[] = [];
    let claimed = this.awarenessIds.size;
    for (const { clientId, clock, state: json } of read) {
      const owner = ownerOf(clientId);
      if (owner && owner !== this) continue;
      if (!owner) {
        // Not this connection's (yet): an echo of a state the room already has at this clock or a
        // later one changes nothing but a removal, and a new id is taken only within the cap.
        const known = awareness.meta.get(clientId)?.clock;
        if (known !== undefined && (clock < known || (clock === known && json !== 'null'))) continue;
        if (json !== 'null') {
          if (claimed >= MAX_PRESENCE_IDS_PER_CONNECTION) continue;
          claimed += 1;
        }
      }
      const cached = this.#stamped.get(clientId);
      if (cached?.sent === json) {
        entries.push({ clientId, clock, state: cached.stamped });
        continue;
      }
      const stamped = JSON.stringify(this.#stamp(JSON.parse(json)));
      this.#stamped.set(clientId, { sent: json, stamped });
      entries.push({ clientId, clock, state: stamped });
    }
    return encodeAwarenessEntries(entries);
  }

  /** Records the awareness ids this connection's updates added or removed. */
  trackAwareness(added: readonly number[], removed: readonly number[]): void {
    for (const id of added) this.awarenessIds.add(id);
    for (const id of removed) {
      this.awarenessIds.delete(id);
      this.#stamped.delete(id);
    }
  }

  /** A presence state with its `user` replaced by the authenticated identity (other fields kept). */
  #stamp(state: unknown): unknown {
    if (state === null || typeof state !== 'object') return state;
    const user = (state as { user?: unknown }).user;
    return {
      ...state,
      user: {
        ...(user && typeof user === 'object' ? user : {}),
        id: this.actor.userId,
        name: this.actor.name,
        color: colorForUser(this.actor.userId),
        guest: this.actor.kind === 'guest',
      },
    };
  }
}
