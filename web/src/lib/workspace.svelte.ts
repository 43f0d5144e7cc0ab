/**
 * The workspace document (partners, agreements, mobility flows and targets, settings), synced live at
 * `/sync/workspace` and shared by every page of a signed-in visit. Opened on first use, closed at
 * sign-out. Lists are recomputed from the document after every change, local or remote.
 */
import * as Y from 'yjs';
import {
  RECORD_ROOTS,
  WORKSPACE_DOC,
  WorkspaceDoc,
  type WorkspaceRecordKind,
  type Agreement,
  type MobilityFlow,
  type MobilityTarget,
  type Partner,
  type Stored,
  WorkspaceSettings,
} from '@passerelle/shared';
import { undoableRecordChange, type UndoOutcome } from './record-undo.js';
import { SyncedDoc } from './sync/synced-doc.svelte.js';

/** The workspace's settings until the stored ones arrive. */
const DEFAULT_SETTINGS: WorkspaceSettings = WorkspaceSettings.parse({});

class WorkspaceSession {
  /** The open document and its connection, or null before the first use and after sign-out. */
  #open = $state.raw<{ sync: SyncedDoc; workspace: WorkspaceDoc } | null>(null);

  readonly partners: Stored<Partner>[] = $derived(this.#read((ws) => ws.partners.list().sort((a, b) => a.name.localeCompare(b.name)), []));
  readonly agreements: Stored<Agreement>[] = $derived(this.#read((ws) => ws.agreements.list().sort((a, b) => a.title.localeCompare(b.title)), []));
  readonly mobilities: Stored<MobilityFlow>[] = $derived(this.#read((ws) => ws.mobilities.list(), []));
  readonly targets: Stored<MobilityTarget>[] = $derived(this.#read((ws) => ws.targets.list(), []));
  readonly settings: WorkspaceSettings = $derived(this.#read((ws) => ws.settings, DEFAULT_SETTINGS));
  /** True once the stored workspace has arrived: before that, empty lists would lie. */
  readonly loaded: boolean = $derived(this.#open?.sync.loaded ?? false);

  /** The typed document; opens the connection on first use. */
  get doc(): WorkspaceDoc {
    return this.#connect().workspace;
  }

  /** Runs `edit` as one change of this person's. */
  transact(edit: (workspace: WorkspaceDoc) => void): void {
    const { sync, workspace } = this.#connect();
    sync.transact(() => edit(workspace));
  }

  /**
   * Runs `edit`, which creates or deletes records, as one change of this person's, and returns the
   * function that undoes it (once): refused when someone else changed those records since.
   */
  transactUndoable(edit: (workspace: WorkspaceDoc) => void): () => UndoOutcome {
    const { sync, workspace } = this.#connect();
    return undoableRecordChange(sync.doc, sync.localOrigin, () => edit(workspace));
  }

  /** Per record, the undo history of this person's own changes to it (`trackUndo`). */
  #undo = new Map<string, Y.UndoManager>();
  /** Bumped when an undo history grows or shrinks, so that Undo buttons follow. */
  #undoVersion = $state(0);

  /**
   * Starts keeping this person's changes to one record so that they can be undone, from now on (call
   * before changing it). Only this person's transactions are kept (`localOrigin`): undo never
   * reverts someone else's work.
   */
  trackUndo(kind: WorkspaceRecordKind, id: string): void {
    const key = `${kind}:${id}`;
    const { sync } = this.#connect();
    const record = sync.doc.getMap<unknown>(RECORD_ROOTS[kind]).get(id);
    const existing = this.#undo.get(key);
    if (existing && existing.scope.includes(record as Y.Map<unknown>)) return;
    existing?.destroy();
    if (!(record instanceof Y.Map)) return;
    const manager = new Y.UndoManager(record, { trackedOrigins: new Set([sync.localOrigin]) });
    const bump = () => this.#undoVersion++;
    manager.on('stack-item-added', bump);
    manager.on('stack-item-popped', bump);
    this.#undo.set(key, manager);
  }

  /** Whether this person has a change to the record that can be undone. */
  canUndo(kind: WorkspaceRecordKind, id: string): boolean {
    void this.#undoVersion;
    return (this.#undo.get(`${kind}:${id}`)?.undoStack.length ?? 0) > 0;
  }

  /** Undoes this person's last change to the record. */
  undo(kind: WorkspaceRecordKind, id: string): void {
    this.#undo.get(`${kind}:${id}`)?.undo();
  }

  /** The partner with this id, if any. */
  partner(id: string | null | undefined): Stored<Partner> | undefined {
    return id ? this.partners.find((partner) => partner.id === id) : undefined;
  }

  /** Opens the connection if it is not open yet (pages call this on mount). */
  ensureOpen(): void {
    this.#connect();
  }

  /** What `read` finds in the document, read again after each change; `closed` while there is none. */
  #read<T>(read: (workspace: WorkspaceDoc) => T, closed: T): T {
    if (!this.#open) return closed;
    void this.#open.sync.version;
    return read(this.#open.workspace);
  }

  #connect(): { sync: SyncedDoc; workspace: WorkspaceDoc } {
    if (!this.#open) {
      const sync = new SyncedDoc(WORKSPACE_DOC);
      this.#open = { sync, workspace: new WorkspaceDoc(sync.doc) };
    }
    return this.#open;
  }

  /**
   * Forgets this copy of the document and opens it again from the server (a change of a read-only
   * person's was refused whole: the server's copy is the one to show). Only when it is open.
   */
  reload(): void {
    if (!this.#open) return;
    this.close();
    this.#connect();
  }

  /** Closes the connection and forgets the document (at sign-out). */
  close(): void {
    for (const manager of this.#undo.values()) manager.destroy();
    this.#undo.clear();
    this.#open?.sync.destroy();
    this.#open = null;
  }
}

/** The signed-in visit's workspace. */
export const workspace = new WorkspaceSession();
