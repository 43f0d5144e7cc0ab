/**
 * What a document kind plugs into the room. The room runs the y-websocket protocol, stores and
 * relays; everything a kind's rules decide (migrations on load, corrections after a person's
 * change, what a reader may receive, who hears of a change) reaches it through these hooks, built
 * for each document by its kind (`server/src/documents/`). The room imports no kind.
 */
import type { Logger } from 'pino';
import type * as Y from 'yjs';
import type { ConnectionIdentity } from './connection.js';

/** Who made a change: a person through a connection, or the server on their behalf (`ServerEdit`). */
export interface ChangeActor {
  id: string;
  name: string;
  kind: 'member' | 'guest';
}

/** A transaction a person made through a connection, as `afterTransaction` sees it. */
export interface PersonChange {
  doc: Y.Doc;
  transaction: Y.Transaction;
  actor: ConnectionIdentity;
  /** The room's logger (with the document's name). */
  logger: Logger;
}

/** What a reader receives of a batch whose content `afterTransaction` redacted. */
export type RelayView =
  /** Every update as applied (the reader may see what the rules removed afterwards). */
  | 'updates'
  /** The document's own encoding of the batch, in which removed content is only a tombstone. */
  | 'redacted';

export interface DocumentHooks {
  /** The kind's schema: the version this server writes, and the one a document records. */
  schema: {
    version: number;
    versionOf(doc: Y.Doc): number;
  };
  /**
   * Brings the loaded document to the current schema, before anyone is served (the changes are
   * stored like any edit). Resolves to true when content moved out of the document: it is compacted
   * then, so the stored log no longer holds it either.
   */
  onLoad?(doc: Y.Doc): Promise<boolean | void> | boolean | void;
  /**
   * After each transaction a person made through a connection: the kind's rules, which correct the
   * document in transactions of their own (`GUARD_ORIGIN`). Returns `{ redacted: true }` when it
   * removed content some readers must never receive (see `beforeRelay`).
   */
  afterTransaction?(change: PersonChange): { redacted?: boolean } | void;
  /**
   * What `reader` receives of a batch that carried redacted content (default `'updates'`). A reader
   * that gets `'redacted'` is also never served a stored snapshot before the load (it may hold
   * content an older version allowed).
   */
  beforeRelay?(reader: ConnectionIdentity): RelayView;
  /** After each transaction someone made (a connection's update or a `ServerEdit`), once the rules ran; must not throw. */
  onChange?(doc: Y.Doc, transaction: Y.Transaction, actor: ChangeActor): void;
  /**
   * A small summary of the document stored beside it (a board's first screen), so that it can be
   * served without loading the document: built at each compaction, and when the room closes if
   * this room has not stored one yet. Must not throw.
   */
  summarize?(doc: Y.Doc): string;
  /** A read-only person tried to change the document. */
  onWriteRefused?(userId: string): void;
}
