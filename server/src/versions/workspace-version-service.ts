/**
 * The version history of the workspace document (partners, agreements, mobility flows and targets):
 * automatic versions after changes, at most one per interval as a board's, named versions, read-only
 * previews of the records, and restores. Versions live in the board versions' `VersionStore` under
 * `WORKSPACE_VERSIONS_OWNER` and the target `workspace`, with caps of their own (the boards' caps'
 * values). A restore is a change of the person restoring like any other: the records' history and
 * the audit log record it, record by record, through the workspace's change hook.
 */
import type { Logger } from 'pino';
import * as Y from 'yjs';
import { RECORD_ROOTS, WORKSPACE_DOC, WorkspaceDoc, migrateWorkspace, newId, type VersionPerson, type VersionSummary, type WorkspaceRestoreResult, type WorkspaceVersionView } from '@passerelle/shared';
import type { SyncServer } from '../sync/sync-server.js';
import { reconcileMap } from './restore.js';
import { AutoVersions, editorsOf } from './auto-versions.js';
import { WORKSPACE_TARGET, WORKSPACE_VERSIONS_OWNER, summaryOf, type StoredVersion, type VersionLimits, type VersionStore } from './version-store.js';

export interface WorkspaceVersionServiceOptions {
  store: VersionStore;
  /** The live workspace room: a restore is an edit of it. */
  sync: Pick<SyncServer, 'editDocument'>;
  /** The current full state of a document (live, else stored). */
  currentState: (name: string) => Promise<Uint8Array>;
  /** Least time between two automatic versions, and how long after a first change one is taken. */
  intervalMs: number;
  /** Automatic versions kept (named ones are all kept). */
  keepAuto: number;
  /** Caps on the workspace's versions, as a board's. */
  limits: () => VersionLimits;
  /** Keeps track of writes in flight, so that the server's close waits for them. */
  track: <T>(work: Promise<T>) => Promise<T>;
  /**
   * The records' history, whose open entries a restore closes before and after its change, so that
   * the restore is an entry of its own (not merged into someone's edit) and is audited at once.
   */
  history?: { flush(): Promise<void> };
  logger: Logger;
}

/** The root maps a restore brings back: the records. Settings and templates have their own keepers. */
const RESTORED_ROOTS = Object.values(RECORD_ROOTS);

/** An empty document's state: a workspace version has no internal document. */
const EMPTY_STATE = Y.encodeStateAsUpdate(new Y.Doc());

/** A version's workspace state decoded into a throwaway document brought to the current schema. */
function openWorkspace(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  migrateWorkspace(doc);
  return doc;
}

/** Makes the live workspace's records those of `version`, records both have edited in place. */
export function restoreRecords(live: Y.Doc, version: Y.Doc): void {
  for (const name of RESTORED_ROOTS) reconcileMap(live.getMap(name), version.getMap(name));
}

export class WorkspaceVersionService {
  readonly #options: WorkspaceVersionServiceOptions;
  /** When the next automatic version is due: as a board's (`AutoVersions`), under `WORKSPACE_VERSIONS_OWNER`. */
  readonly #auto: AutoVersions;

  constructor(options: WorkspaceVersionServiceOptions) {
    this.#options = options;
    this.#auto = new AutoVersions({
      store: options.store,
      intervalMs: () => options.intervalMs,
      take: async (_key, editors) => this.#store({ kind: 'auto', name: null, createdBy: null, editors }, await options.currentState(WORKSPACE_DOC)),
      track: options.track,
      logger: options.logger,
      what: 'workspace',
    });
  }

  /** The workspace's change hook: arms the next automatic version, which names who changed records. Never throws. */
  onWorkspaceChange(change: { actor: { id: string; name: string }; writes: readonly unknown[] }): void {
    if (change.writes.length > 0) this.#auto.changed(WORKSPACE_VERSIONS_OWNER, change.actor);
  }

  /** True when records changed since the last version (for tests and diagnostics). */
  hasPendingChanges(): boolean {
    return this.#auto.has(WORKSPACE_VERSIONS_OWNER);
  }

  /** Names the workspace's current state; rejects with `VersionLimitError` past the caps. */
  async createNamed(name: string, createdBy: VersionPerson): Promise<VersionSummary> {
    return this.#options.track(this.#options.currentState(WORKSPACE_DOC).then((state) => this.#store({ kind: 'named', name, createdBy, editors: [] }, state)));
  }

  list(): Promise<VersionSummary[]> {
    return this.#options.store.list(WORKSPACE_VERSIONS_OWNER, WORKSPACE_TARGET);
  }

  /** Deletes a version (the way to make room for named ones); false when there is none of that id. */
  delete(versionId: string): Promise<boolean> {
    return this.#options.store.delete(WORKSPACE_VERSIONS_OWNER, versionId, WORKSPACE_TARGET);
  }

  /** The records as they were in a version, read-only; undefined when there is none of that id. */
  async view(versionId: string): Promise<WorkspaceVersionView | undefined> {
    const version = await this.#options.store.get(WORKSPACE_VERSIONS_OWNER, versionId, WORKSPACE_TARGET);
    if (!version) return undefined;
    const doc = openWorkspace(version.boardState);
    try {
      const workspace = new WorkspaceDoc(doc);
      const byId = <T extends { id: string }>(records: T[]) => records.sort((a, b) => a.id.localeCompare(b.id));
      return {
        version: summaryOf(version),
        partners: byId(workspace.partners.list()),
        agreements: byId(workspace.agreements.list()),
        mobilities: byId(workspace.mobilities.list()),
        targets: byId(workspace.targets.list()),
      };
    } finally {
      doc.destroy();
    }
  }

  /**
   * Makes the workspace's records those of a version, as one change of `actor`'s to the live
   * document, so that every client converges, and the records' history and the audit name them. The
   * state just before is kept first as an automatic version (unless the latest holds it), so the
   * restore can itself be undone; when the caps leave no room for it, nothing changes (`VersionLimitError`).
   */
  async restore(versionId: string, actor: VersionPerson): Promise<WorkspaceRestoreResult | undefined> {
    const version = await this.#options.store.get(WORKSPACE_VERSIONS_OWNER, versionId, WORKSPACE_TARGET);
    if (!version) return undefined;
    const before = await this.#keepCurrentState();
    const opened = openWorkspace(version.boardState);
    await this.#options.history?.flush();
    try {
      // `editDocument` makes it one transaction of the server's on `actor`'s behalf (`ServerEdit`).
      await this.#options.sync.editDocument(WORKSPACE_DOC, (live) => restoreRecords(live, opened), actor);
    } finally {
      opened.destroy();
    }
    await this.#options.history?.flush();
    return { restored: summaryOf(version), before };
  }

  async #keepCurrentState(): Promise<VersionSummary | null> {
    const pending = this.#auto.takeOut(WORKSPACE_VERSIONS_OWNER);
    const editors = editorsOf(pending);
    const state = await this.#options.currentState(WORKSPACE_DOC);
    const [latest] = await this.list();
    const stored = latest && (await this.#options.store.get(WORKSPACE_VERSIONS_OWNER, latest.id, WORKSPACE_TARGET));
    if (stored && sameBytes(stored.boardState, state)) return null;
    try {
      return await this.#options.track(this.#store({ kind: 'auto', name: null, createdBy: null, editors }, state));
    } catch (error) {
      // Refused: the changes it held are still pending, for the next automatic version.
      this.#auto.putBack(WORKSPACE_VERSIONS_OWNER, pending);
      throw error;
    }
  }

  async #store(meta: Pick<VersionSummary, 'kind' | 'name' | 'createdBy' | 'editors'>, state: Uint8Array): Promise<VersionSummary> {
    const version: StoredVersion = { id: newId(), boardId: WORKSPACE_VERSIONS_OWNER, at: new Date().toISOString(), ...meta, boardState: state, internalState: EMPTY_STATE };
    await this.#options.store.insert(version, this.#options.limits(), WORKSPACE_TARGET);
    if (version.kind === 'auto') await this.#options.store.pruneAuto(WORKSPACE_VERSIONS_OWNER, this.#options.keepAuto, WORKSPACE_TARGET);
    this.#options.logger.debug({ versionId: version.id, kind: version.kind }, 'workspace version taken');
    return summaryOf(version);
  }

  /** Takes the pending automatic version now and stops (the caller awaits what is in flight). */
  close(): void {
    this.#auto.close();
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
