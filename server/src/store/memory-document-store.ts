import type { DocumentStore, StoredDocument, StoredSummary } from './document-store.js';

interface MemoryDocument {
  snapshot: { data: Uint8Array; throughSeq: number; schemaVersion: number | null } | null;
  log: { seq: number; update: Uint8Array }[];
  lastSeq: number;
}

/** A `DocumentStore` in process memory: for tests and for tools that need no durability. */
export class MemoryDocumentStore implements DocumentStore {
  #documents = new Map<string, MemoryDocument>();
  #summaries = new Map<string, StoredSummary>();

  async load(docName: string): Promise<StoredDocument> {
    const stored = this.#documents.get(docName);
    if (!stored) return { updates: [], lastSeq: 0, pendingUpdates: 0, snapshotSchemaVersion: null };
    // Copies: what a caller does with loaded buffers must not change what is stored.
    const updates = stored.log.map((entry) => Uint8Array.from(entry.update));
    if (stored.snapshot) updates.unshift(Uint8Array.from(stored.snapshot.data));
    return { updates, lastSeq: stored.lastSeq, pendingUpdates: stored.log.length, snapshotSchemaVersion: stored.snapshot?.schemaVersion ?? null };
  }

  async append(docName: string, update: Uint8Array): Promise<number> {
    let stored = this.#documents.get(docName);
    if (!stored) {
      stored = { snapshot: null, log: [], lastSeq: 0 };
      this.#documents.set(docName, stored);
    }
    stored.lastSeq += 1;
    // Copy: the caller may reuse the buffer.
    stored.log.push({ seq: stored.lastSeq, update: Uint8Array.from(update) });
    return stored.lastSeq;
  }

  async compact(docName: string, snapshot: Uint8Array, throughSeq: number, schemaVersion: number | null = null): Promise<void> {
    let stored = this.#documents.get(docName);
    if (!stored) {
      stored = { snapshot: null, log: [], lastSeq: 0 };
      this.#documents.set(docName, stored);
    }
    // A compaction older than the stored snapshot would drop updates that snapshot holds.
    if (stored.snapshot && stored.snapshot.throughSeq >= throughSeq) return;
    stored.snapshot = { data: Uint8Array.from(snapshot), throughSeq, schemaVersion };
    stored.log = stored.log.filter((entry) => entry.seq > throughSeq);
  }

  async putSummary(docName: string, summary: string, throughSeq: number): Promise<void> {
    const current = this.#summaries.get(docName);
    if (current && current.throughSeq > throughSeq) return;
    this.#summaries.set(docName, { summary, throughSeq });
  }

  async loadSummary(docName: string): Promise<StoredSummary | null> {
    return this.#summaries.get(docName) ?? null;
  }

  async delete(docName: string): Promise<void> {
    this.#documents.delete(docName);
    this.#summaries.delete(docName);
  }

  async list(): Promise<string[]> {
    return [...this.#documents.keys()];
  }

  async close(): Promise<void> {
    this.#documents.clear();
    this.#summaries.clear();
  }
}
