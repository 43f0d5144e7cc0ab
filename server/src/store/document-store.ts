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
}

export interface DocumentStore {
  /** Everything stored for `docName`; an unknown document loads as `{ updates: [], lastSeq: 0 }`. */
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
   */
  compact(docName: string, snapshot: Uint8Array, throughSeq: number): Promise<void>;
  /** Removes the document entirely. */
  delete(docName: string): Promise<void>;
  /** Releases resources; the store is not used afterwards. */
  close(): Promise<void>;
}
