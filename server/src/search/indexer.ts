/**
 * Keeps the search index following the documents: each change to a document schedules it to be
 * indexed again a moment later (at most once per `debounceMs` per document, however fast it is
 * edited), from the live document. At start, an index never built from the stored documents (a new
 * database, or a new `INDEX_VERSION` of what is indexed) is built in the background: searches
 * answer at once from what is indexed so far.
 */
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { DocumentStore } from '../store/document-store.js';
import { extractEntries } from './extract.js';
import type { SearchIndex } from './search-index.js';

/** The version of what is indexed from each document: raise it when `extract.ts` changes, and every index is built again at start. */
export const INDEX_VERSION = 1;

export interface SearchIndexerOptions {
  index: SearchIndex;
  documents: DocumentStore;
  /** The live document of a loaded room, so that a rebuild never indexes an older stored state over it. */
  liveDocument: (name: string) => Y.Doc | undefined;
  logger: Logger;
  /** How long after a change a document is indexed (default 300 ms): a burst of keystrokes is indexed once. */
  debounceMs?: number;
}

export class SearchIndexer {
  readonly #options: SearchIndexerOptions;
  readonly #debounceMs: number;
  /** Documents waiting to be indexed, with the document to read when the timer fires. */
  readonly #pending = new Map<string, { doc: Y.Doc; timer: NodeJS.Timeout }>();
  /** Indexing under way, so that `flush` and `close` wait for it. */
  readonly #running = new Set<Promise<void>>();
  #closed = false;
  #rebuild: Promise<void> = Promise.resolve();

  constructor(options: SearchIndexerOptions) {
    this.#options = options;
    this.#debounceMs = options.debounceMs ?? 300;
  }

  /** A document changed (or was loaded): index it again soon. */
  documentChanged(name: string, doc: Y.Doc): void {
    if (this.#closed) return;
    const pending = this.#pending.get(name);
    if (pending) {
      pending.doc = doc;
      return;
    }
    const timer = setTimeout(() => this.#indexNow(name), this.#debounceMs);
    timer.unref();
    this.#pending.set(name, { doc, timer });
  }

  /** Forgets a deleted board's entries (and any indexing of its documents still waiting). */
  async boardDeleted(boardId: string, documentNames: readonly string[]): Promise<void> {
    for (const name of documentNames) this.#cancel(name);
    for (const name of [...this.#pending.keys()]) if (name.startsWith(`${boardId}/`)) this.#cancel(name);
    await this.#options.index.removeBoard(boardId);
  }

  /** Indexes every waiting document now, and waits for indexing under way. */
  async flush(): Promise<void> {
    for (const name of [...this.#pending.keys()]) this.#indexNow(name);
    await Promise.all(this.#running);
  }

  /** Resolves when the background build started by `buildIfNeeded` is over. */
  get rebuilt(): Promise<void> {
    return this.#rebuild;
  }

  /**
   * Starts building the index from every stored document when it was never built at this version;
   * returns at once. One document at a time, yielding between them, so sync and requests go on.
   */
  buildIfNeeded(): void {
    this.#rebuild = this.#buildIfNeeded().catch((error: unknown) => this.#options.logger.error({ err: error }, 'search index build failed'));
  }

  async #buildIfNeeded(): Promise<void> {
    const { index, documents, logger } = this.#options;
    if (await index.isBuilt(INDEX_VERSION)) return;
    if (!(await index.claimRebuild())) return;
    const started = performance.now();
    const names = await documents.list();
    logger.info({ documents: names.length }, 'building the search index in the background');
    for (const name of names) {
      if (this.#closed) return;
      await new Promise((resolve) => setImmediate(resolve));
      try {
        const live = this.#options.liveDocument(name);
        if (live) {
          this.documentChanged(name, live);
          continue;
        }
        const stored = await documents.load(name);
        const doc = new Y.Doc();
        Y.transact(doc, () => {
          for (const update of stored.updates) Y.applyUpdate(doc, update);
        });
        // Loaded meanwhile: the room indexes its own, newer state.
        if (this.#options.liveDocument(name)) continue;
        const entries = extractEntries(name, doc);
        doc.destroy();
        if (entries) await index.replaceDocument(name, entries);
      } catch (error) {
        // One unreadable document must not keep the others out of the index.
        logger.error({ err: error, doc: name }, 'search could not index a stored document');
      }
    }
    if (this.#closed) return;
    await index.markBuilt(INDEX_VERSION);
    logger.info({ documents: names.length, ms: Math.round(performance.now() - started) }, 'search index built');
  }

  /** Stops indexing: what is waiting is indexed first. */
  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    await this.#rebuild;
  }

  #cancel(name: string): void {
    const pending = this.#pending.get(name);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(name);
  }

  #indexNow(name: string): void {
    const pending = this.#pending.get(name);
    if (!pending) return;
    this.#cancel(name);
    const run = (async () => {
      try {
        const entries = extractEntries(name, pending.doc);
        if (entries) await this.#options.index.replaceDocument(name, entries);
      } catch (error) {
        this.#options.logger.error({ err: error, doc: name }, 'search could not index a document');
      }
    })();
    this.#running.add(run);
    void run.finally(() => this.#running.delete(run));
  }
}
