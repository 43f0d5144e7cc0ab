/**
 * Where board documents live. The sync core only talks to this interface; the embedded SQLite store
 * and the in-memory store implement it, and each passes the contract suite in
 * `test/contract/document-store.contract.ts`.
 *
 * A document is an append-only log of Yjs updates, folded into a snapshot by `compact`. Methods are
 * asynchronous so that a networked implementation fits; callers must not rely on them resolving in
 * the same tick.
 */
export interface StoredDocument {
  /** The snapshot (if any) followed by every update appended after it, in append order. */
  updates: Uint8Array[];
  /** Sequence number of the last appended update (0 when nothing was ever appended). */
  lastSeq: number;
  /** How many updates follow the snapshot: a measure of how much compaction would save. */
  pendingUpdates: number;
  /**
   * The schema version the stored snapshot's document was at when it was compacted (see `compact`);
   * null when there is no snapshot or it was stored without one (before versions were recorded).
   * With `pendingUpdates === 0` it is the version of the whole stored document, which lets a room
   * serve the snapshot before it has migrated it.
   */
  snapshotSchemaVersion: number | null;
}

/** A small summary kept beside a document (a board's first screen), and how far into the log it reflects. */
export interface StoredSummary {
  /** The summary as its document kind encodes it (JSON for a board's first screen). */
  summary: string;
  /** The sequence number of the last update the summary reflects. */
  throughSeq: number;
}

export interface DocumentStore {
  /** Everything stored for `docName`; an unknown document loads as `{ updates: [], lastSeq: 0, pendingUpdates: 0, snapshotSchemaVersion: null }`. */
  load(docName: string): Promise<StoredDocument>;
  /**
   * Durably appends one update and returns its sequence number (strictly increasing per document).
   * When the promise resolves, the update survives a crash of this process.
   */
  append(docName: string, update: Uint8Array): Promise<number>;
  /**
   * Replaces the snapshot and every update with `seq <= throughSeq` by `snapshot`, atomically.
   * The caller guarantees `snapshot` contains those updates; later updates are kept. A compaction
   * whose `throughSeq` is not past the stored snapshot's is ignored (it would lose updates).
   * `schemaVersion` is the schema version of the document `snapshot` encodes, recorded with it and
   * returned by `load` as `snapshotSchemaVersion` (null when omitted).
   */
  compact(docName: string, snapshot: Uint8Array, throughSeq: number, schemaVersion?: number | null): Promise<void>;
  /**
   * Keeps `summary` beside the document, replacing the one stored unless that one reflects a later
   * update (`throughSeq` greater than this one's): a summary built from an older state is ignored.
   */
  putSummary(docName: string, summary: string, throughSeq: number): Promise<void>;
  /** The summary kept beside the document, or null when none is (read without the document itself). */
  loadSummary(docName: string): Promise<StoredSummary | null>;
  /** Removes the document entirely, its summary included. */
  delete(docName: string): Promise<void>;
  /**
   * The name of every stored document (one with a snapshot, updates or both), each once, in no
   * particular order; a deleted document is not listed. For sweeps, not for serving requests.
   */
  list(): Promise<string[]>;
  /** Releases resources; the store is not used afterwards. */
  /** Resolves when the store answers now, rejects otherwise (readiness); an in-memory store, with nothing to lose touch with, has none. */
  ping?(): Promise<void>;
  close(): Promise<void>;
}
