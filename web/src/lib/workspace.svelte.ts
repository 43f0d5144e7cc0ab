/**
 * The workspace document (partners, agreements, mobility flows and targets, settings), synced live at
 * `/sync/workspace` and shared by every page of a signed-in visit. Opened on first use, closed at
 * sign-out. Lists are recomputed from the document after every change, local or remote.
 */
import {
  SYNC_PATH,
  WORKSPACE_DOC,
  WorkspaceDoc,
  type Agreement,
  type MobilityFlow,
  type MobilityTarget,
  type Partner,
  type Stored,
  type WorkspaceSettings,
} from '@passerelle/shared';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

class WorkspaceSession {
  partners = $state.raw<Stored<Partner>[]>([]);
  agreements = $state.raw<Stored<Agreement>[]>([]);
  mobilities = $state.raw<Stored<MobilityFlow>[]>([]);
  targets = $state.raw<Stored<MobilityTarget>[]>([]);
  settings = $state.raw<WorkspaceSettings>({ minSemestersInFrance: 3 });
  /** True once the stored workspace has arrived: before that, empty lists would lie. */
  loaded = $state(false);

  /** Origin of this person's edits, for undo managers that should track only them. */
  readonly localOrigin = Symbol('workspace-edit');
  #doc: Y.Doc | null = null;
  #workspace: WorkspaceDoc | null = null;
  #provider: WebsocketProvider | null = null;

  /** The typed document; opens the connection on first use. */
  get doc(): WorkspaceDoc {
    if (!this.#workspace) this.#open();
    return this.#workspace!;
  }

  /** Runs `edit` as one change of this person's. */
  transact(edit: (workspace: WorkspaceDoc) => void): void {
    const workspace = this.doc;
    workspace.doc.transact(() => edit(workspace), this.localOrigin);
  }

  /** The partner with this id, if any. */
  partner(id: string | null | undefined): Stored<Partner> | undefined {
    return id ? this.partners.find((partner) => partner.id === id) : undefined;
  }

  /** Opens the connection if it is not open yet (pages call this on mount). */
  ensureOpen(): void {
    if (!this.#workspace) this.#open();
  }

  #open(): void {
    const doc = new Y.Doc();
    const workspace = new WorkspaceDoc(doc);
    this.#doc = doc;
    this.#workspace = workspace;
    const protocol = location.protocol === 'https:' ? 'wss' : 'ws';
    this.#provider = new WebsocketProvider(`${protocol}://${location.host}${SYNC_PATH}`, WORKSPACE_DOC, doc);
    this.#provider.on('sync', (isSynced: boolean) => {
      if (isSynced) this.loaded = true;
    });
    doc.on('afterTransaction', () => this.#recompute());
    this.#recompute();
  }

  #recompute(): void {
    const workspace = this.#workspace;
    if (!workspace) return;
    this.partners = workspace.partners.list().sort((a, b) => a.name.localeCompare(b.name));
    this.agreements = workspace.agreements.list().sort((a, b) => a.title.localeCompare(b.title));
    this.mobilities = workspace.mobilities.list();
    this.targets = workspace.targets.list();
    this.settings = workspace.settings;
  }

  /** Closes the connection and forgets the document (at sign-out). */
  close(): void {
    this.#provider?.destroy();
    this.#doc?.destroy();
    this.#provider = null;
    this.#doc = null;
    this.#workspace = null;
    this.loaded = false;
    this.partners = [];
    this.agreements = [];
    this.mobilities = [];
    this.targets = [];
  }
}

/** The signed-in visit's workspace. */
export const workspace = new WorkspaceSession();
