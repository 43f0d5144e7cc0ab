import type { Logger } from 'pino';
import * as Y from 'yjs';
import { internalDocName, newId, type RestoreResult, type VersionPerson, type VersionSummary } from '@passerelle/shared';
import type { ActivityStore, BoardDirectory } from '../store/account-store.js';
import type { DocumentStore } from '../store/document-store.js';
import { ServerEdit, type BoardChange, type SyncServer } from '../sync/sync-server.js';
import { ProposalVersionService } from './proposal-version-service.js';
import { restoreDocument } from './restore.js';
import { AutoVersions, editorsOf } from './auto-versions.js';
import { openVersion } from './version-view.js';
import { WorkspaceVersionService } from './workspace-version-service.js';
import { summaryOf, type StoredVersion, type VersionLimits, type VersionStore } from './version-store.js';

/** Automatic versions are taken at most this often per board (10 minutes): often enough to find yesterday's state, rarely enough to stay small. */
export const DEFAULT_AUTO_INTERVAL_MS = 10 * 60_000;
/** Automatic versions kept per board (named ones are all kept): 50 × 10 minutes is a working day and more. */
export const DEFAULT_KEEP_AUTO = 50;
/**
 * Named versions a board may have (100): a committee a week for two years. Past it, naming one is
 * refused until someone deletes a named version; any editor can name one, so without a cap one
 * editor could fill the disk (each version is a full copy of the board).
 */
export const DEFAULT_MAX_NAMED_PER_BOARD = 100;
/**
 * Bytes a board's versions may take together (256 MiB): four versions of a board at the largest
 * size a board may have (`MAX_DOCUMENT_BYTES`, 64 MiB), or about fifty of a large 5 MiB board,
 * which is what `DEFAULT_KEEP_AUTO` keeps. Automatic versions are pruned oldest first to make room;
 * a named version that still does not fit is refused.
 */
export const DEFAULT_MAX_VERSION_BYTES_PER_BOARD = 256 * 1024 * 1024;

export interface VersionServiceOptions {
  store: VersionStore;
  /** Boards that still exist: a board deleted before its automatic version was due gets none. */
  directory: Pick<BoardDirectory, 'getBoard'>;
  /** Where documents are when their room is not loaded. */
  documents: DocumentStore;
  /** The live rooms: their documents (read) and edits (restore). */
  sync: Pick<SyncServer, 'documentOf' | 'editDocument' | 'readDocument'>;
  /** The workspace records' history, which a workspace restore makes an entry of its own in (`WorkspaceVersionServiceOptions.history`). */
  workspaceHistory?: { flush(): Promise<void> };
  /** Where a proposal's restore is recorded in its board's history (optional; the board's own restores are recorded as its changes are). */
  history?: Pick<ActivityStore, 'appendHistory'>;
  logger: Logger;
  /** Least time between two automatic versions of a board, and how long after a first change one is taken (default 10 minutes). */
  autoIntervalMs?: number;
  /** Automatic versions kept per board (default 50). */
  keepAuto?: number;
  /** Named versions a board may have; one more is refused (default 100, see `DEFAULT_MAX_NAMED_PER_BOARD`). */
  maxNamedPerBoard?: number;
  /** Bytes a board's versions may take together (default 256 MiB, see `DEFAULT_MAX_VERSION_BYTES_PER_BOARD`). */
  maxVersionBytesPerBoard?: number;
}

/**
 * The version history of boards: automatic versions after changes, named versions, restores.
 * Fed by the sync server's change hook (`onBoardChange`); a board that changed gets an automatic
 * version `autoIntervalMs` after its first change since the last one, so at most one per interval.
 * A board whose room was unloaded meanwhile is read from the store, which then holds every change.
 * A board's versions are capped in number (named ones) and in bytes (all of them): automatic ones
 * are pruned oldest first to make room, named ones are never deleted but by someone, and a named
 * version past the caps is refused (`VersionLimitError`).
 */
export class VersionService {
  readonly #options: VersionServiceOptions;
  /** When each board's automatic version is due. */
  readonly #auto: AutoVersions;
  /** Snapshots being written, awaited by `close`. */
  readonly #inFlight = new Set<Promise<unknown>>();
  #closed = false;
  /** The versions of the board's proposals, in the same store and within the same caps. */
  readonly proposals: ProposalVersionService;
  /** The versions of the workspace document (its records), in the same store, with caps of the same values. */
  readonly workspace: WorkspaceVersionService;

  constructor(options: VersionServiceOptions) {
    this.#options = options;
    this.#auto = new AutoVersions({
      store: options.store,
      intervalMs: () => this.#interval,
      take: async (boardId, editors) => {
        // A board deleted before its automatic version was due gets none.
        if (!(await this.#options.directory.getBoard(boardId))) return;
        await this.#snapshot(boardId, { kind: 'auto', name: null, createdBy: null, editors });
      },
      track: (work) => this.#track(work),
      logger: options.logger,
      what: 'boardId',
    });
    this.proposals = new ProposalVersionService({
      store: options.store,
      sync: options.sync,
      limits: () => this.#limits,
      keepAuto: options.keepAuto ?? DEFAULT_KEEP_AUTO,
      history: options.history,
      track: (work) => this.#track(work),
      logger: options.logger,
    });
    this.workspace = new WorkspaceVersionService({
      store: options.store,
      sync: options.sync,
      currentState: (name) => this.currentState(name),
      intervalMs: this.#interval,
      keepAuto: options.keepAuto ?? DEFAULT_KEEP_AUTO,
      limits: () => this.#limits,
      track: (work) => this.#track(work),
      history: options.workspaceHistory,
      logger: options.logger,
    });
  }

  get #interval(): number {
    return this.#options.autoIntervalMs ?? DEFAULT_AUTO_INTERVAL_MS;
  }

  get #limits(): VersionLimits {
    return {
      maxNamed: this.#options.maxNamedPerBoard ?? DEFAULT_MAX_NAMED_PER_BOARD,
      maxBytes: this.#options.maxVersionBytesPerBoard ?? DEFAULT_MAX_VERSION_BYTES_PER_BOARD,
    };
  }

  /** The sync server's change hook: marks the board changed and arms its automatic version. Never throws. */
  onBoardChange(change: BoardChange): void {
    if (this.#closed) return;
    const { transaction, boardId, actor } = change;
    // An empty transaction (a read through `editDocument`) changed nothing worth a version.
    if (transaction.changed.size === 0 && transaction.deleteSet.clients.size === 0) return;
    this.#auto.changed(boardId, actor);
  }

  /** True when a board has changes no version holds yet (for tests and diagnostics). */
  hasPendingChanges(boardId: string): boolean {
    return this.#auto.has(boardId);
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    // Both branches handled: a refused version is the caller's to report, not an unhandled rejection here.
    const done = () => this.#inFlight.delete(work);
    void work.then(done, done);
    return work;
  }

  /** Names the current state of a board; rejects with `VersionLimitError` past the board's caps. */
  async createNamed(boardId: string, name: string, createdBy: VersionPerson): Promise<VersionSummary> {
    return this.#track(this.#snapshot(boardId, { kind: 'named', name, createdBy, editors: [] }));
  }

  async list(boardId: string): Promise<VersionSummary[]> {
    return this.#options.store.list(boardId);
  }

  async get(boardId: string, versionId: string): Promise<StoredVersion | undefined> {
    return this.#options.store.get(boardId, versionId);
  }

  /** Deletes a version of a board (the way to make room for named ones); false when it is not that board's. */
  async delete(boardId: string, versionId: string): Promise<boolean> {
    return this.#options.store.delete(boardId, versionId);
  }

  /**
   * Restores a version of the board document and of its internal document as one new change to
   * each live document, so every connected client converges on it. The state just before is kept
   * as an automatic version first (unless the latest version already holds it), so a restore can be
   * undone; when the board's caps leave no room for it, the restore is refused (`VersionLimitError`)
   * before anything changes.
   */
  async restore(boardId: string, versionId: string, actor: VersionPerson): Promise<RestoreResult | undefined> {
    const version = await this.#options.store.get(boardId, versionId);
    if (!version) return undefined;
    const before = await this.#keepCurrentState(boardId);
    const opened = openVersion(version.boardState, version.internalState);
    const origin = new ServerEdit(actor);
    await this.#options.sync.editDocument(boardId, (doc) => restoreDocument(doc, opened.board, 'board', origin), actor);
    await this.#options.sync.editDocument(internalDocName(boardId), (doc) => restoreDocument(doc, opened.internal, 'internal', origin), actor);
    return { restored: summaryOf(version), before };
  }

  /**
   * Takes, now, an automatic version of the board (with the pending one's editors, if any), unless
   * the latest version holds exactly the current states; null then.
   */
  async #keepCurrentState(boardId: string): Promise<VersionSummary | null> {
    const pending = this.#auto.takeOut(boardId);
    const editors = editorsOf(pending);
    const states = await this.#currentStates(boardId);
    const [latest] = await this.#options.store.list(boardId);
    const stored = latest && (await this.#options.store.get(boardId, latest.id));
    if (stored && sameBytes(stored.boardState, states.boardState) && sameBytes(stored.internalState, states.internalState)) return null;
    try {
      return await this.#track(this.#store(boardId, { kind: 'auto', name: null, createdBy: null, editors }, states));
    } catch (error) {
      // Refused: the changes it held are still pending, for the next automatic version.
      this.#auto.putBack(boardId, pending);
      throw error;
    }
  }

  async #currentStates(boardId: string): Promise<{ boardState: Uint8Array; internalState: Uint8Array }> {
    const [boardState, internalState] = await Promise.all([this.currentState(boardId), this.currentState(internalDocName(boardId))]);
    return { boardState, internalState };
  }

  /** Forgets a deleted board's pending version (its stored versions go with the board row). */
  async forgetBoard(boardId: string): Promise<void> {
    this.#auto.forget(boardId);
    await this.#options.store.deleteBoard(boardId);
  }

  /** The current full state of a document: the live room's when loaded, else the stored one. */
  async currentState(name: string): Promise<Uint8Array> {
    const live = this.#options.sync.documentOf(name);
    if (live) return Y.encodeStateAsUpdate(live);
    const stored = await this.#options.documents.load(name);
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const update of stored.updates) Y.applyUpdate(doc, update);
    });
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    return state;
  }

  async #snapshot(
    boardId: string,
    meta: Pick<VersionSummary, 'kind' | 'name' | 'createdBy' | 'editors'>,
  ): Promise<VersionSummary> {
    return this.#store(boardId, meta, await this.#currentStates(boardId));
  }

  async #store(
    boardId: string,
    meta: Pick<VersionSummary, 'kind' | 'name' | 'createdBy' | 'editors'>,
    states: { boardState: Uint8Array; internalState: Uint8Array },
  ): Promise<VersionSummary> {
    const version: StoredVersion = { id: newId(), boardId, at: new Date().toISOString(), ...meta, ...states };
    await this.#options.store.insert(version, this.#limits);
    if (version.kind === 'auto') await this.#options.store.pruneAuto(boardId, this.#options.keepAuto ?? DEFAULT_KEEP_AUTO);
    this.#options.logger.debug({ boardId, versionId: version.id, kind: version.kind }, 'version taken');
    return summaryOf(version);
  }

  /**
   * Takes the pending automatic versions now and stops. Call after the sync server closed (every
   * board is then stored) and before the document store closes.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#auto.close();
    this.workspace.close();
    await Promise.allSettled([...this.#inFlight]);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
