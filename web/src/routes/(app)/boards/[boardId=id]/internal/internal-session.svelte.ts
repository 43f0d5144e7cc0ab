/**
 * The internal side of a board visit (members only): the board's internal document (budgets,
 * internal notes, sign-off discussion) on its own connection, `/sync/<boardId>/internal`, with its
 * own undo history. A partner guest's session never creates one, so their browser never asks for
 * (nor receives) what the school keeps to itself.
 */
import {
  InternalDoc,
  SYNC_PATH,
  internalDocName,
  type InternalProposalFields,
  type InternalProposalView,
  type Me,
} from '@passerelle/shared';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** Why the internal document is not there: still loading, or refused for good (no access, board gone). */
export type InternalState = 'loading' | 'ready' | 'unavailable';

export class InternalSession {
  readonly doc = new Y.Doc();
  readonly internal = new InternalDoc(this.doc);
  /** Origin of this person's internal edits; its undo history tracks only this origin. */
  readonly localOrigin = Symbol('local-internal-edit');
  /** This person's internal undo history (the board session merges it with the board's in time order). */
  readonly undoManager: Y.UndoManager;

  state = $state<InternalState>('loading');
  /** Bumped whenever the internal document changes: views that read it re-read. */
  version = $state(0);

  readonly #me: Me;
  readonly #provider: WebsocketProvider;
  readonly #tracked = new Set<string>();

  constructor(boardId: string, me: Me) {
    this.#me = me;
    this.undoManager = new Y.UndoManager([this.internal.notes], { trackedOrigins: new Set([this.localOrigin]) });
    this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.changed.size > 0) this.version++;
    });

    const protocol = location.protocol === 'https:' ? 'wss' : 'ws';
    this.#provider = new WebsocketProvider(`${protocol}://${location.host}${SYNC_PATH}`, internalDocName(boardId), this.doc);
    // Presence goes through the board's connection only.
    this.#provider.awareness.setLocalState(null);
    this.#provider.on('sync', (isSynced: boolean) => {
      if (isSynced && this.state === 'loading') this.state = 'ready';
    });
    this.#provider.on('connection-close', (event) => {
      // 4400-4499 are final (no access, access ended, board gone): y-websocket stops reconnecting.
      if (event && event.code >= 4400 && event.code < 4500) this.state = 'unavailable';
    });
  }

  /** The signed-in person's id: they may delete their own discussion messages. */
  get myId(): string {
    return this.#me.id;
  }

  /** Everything internal about a proposal; reading it in a reactive context re-reads after each change. */
  proposal(cardId: string): InternalProposalView {
    void this.version;
    return this.internal.getProposal(cardId);
  }

  /** The collaborative text of a proposal's internal notes (its edits join this person's undo history). */
  proposalNotesText(cardId: string): Y.Text {
    this.#track(cardId);
    return this.internal.proposalNotesText(cardId);
  }

  /** Runs `edit` as one undoable step of this person's internal history (typing bursts merge). */
  transact(edit: () => void): void {
    this.doc.transact(edit, this.localOrigin);
  }

  /** Changes internal fields of a proposal. Throws `ValidationError` (nothing is written then). */
  updateProposal(cardId: string, patch: Partial<InternalProposalFields>): void {
    this.#track(cardId);
    this.#step(() => this.internal.updateProposal(cardId, patch));
  }

  /** Posts a message in a proposal's sign-off discussion. Throws `ValidationError` when empty. */
  addDiscussionEntry(cardId: string, text: string): void {
    this.#track(cardId);
    this.#step(() => this.internal.addDiscussionEntry(cardId, { authorId: this.#me.id, authorName: this.#me.name, text }));
  }

  deleteDiscussionEntry(cardId: string, entryId: string): void {
    this.#track(cardId);
    this.#step(() => this.internal.deleteDiscussionEntry(cardId, entryId));
  }

  /** Ends the visit: closes the connection and forgets the document. */
  destroy(): void {
    this.undoManager.destroy();
    this.#provider.destroy();
    this.doc.destroy();
  }

  #step(edit: () => void): void {
    this.undoManager.stopCapturing();
    this.transact(edit);
    this.undoManager.stopCapturing();
  }

  /** A proposal's internal types join the undo scope when this person first touches them. */
  #track(cardId: string): void {
    if (this.#tracked.has(cardId)) return;
    this.#tracked.add(cardId);
    this.undoManager.addToScope(this.internal.proposalTypes(cardId));
  }
}

/**
 * Merges several undo histories in time order: every step is stamped with one shared sequence, so
 * "undo" reverts the most recent step of whichever history holds it.
 */
export class UndoTimeline {
  #sequence = 0;
  readonly #managers: Y.UndoManager[] = [];

  /** Adds a history; `onChange` runs when it gains or loses a step. */
  add(manager: Y.UndoManager, onChange: () => void): void {
    this.#managers.push(manager);
    const stamp = ({ stackItem }: { stackItem: { meta: Map<string, unknown> } }) => {
      stackItem.meta.set('sequence', ++this.#sequence);
      onChange();
    };
    manager.on('stack-item-added', stamp);
    // A typing burst merged into the last step makes that step recent again.
    manager.on('stack-item-updated', stamp);
    manager.on('stack-item-popped', onChange);
    manager.on('stack-cleared', onChange);
  }

  canUndo(): boolean {
    return this.#managers.some((manager) => manager.canUndo());
  }

  canRedo(): boolean {
    return this.#managers.some((manager) => manager.canRedo());
  }

  undo(): void {
    this.#latest('undoStack')?.undo();
  }

  redo(): void {
    this.#latest('redoStack')?.redo();
  }

  #latest(stack: 'undoStack' | 'redoStack'): Y.UndoManager | undefined {
    let latest: Y.UndoManager | undefined;
    let latestSequence = -1;
    for (const manager of this.#managers) {
      const top = manager[stack].at(-1);
      const sequence = Number(top?.meta.get('sequence') ?? 0);
      if (top && sequence > latestSequence) {
        latest = manager;
        latestSequence = sequence;
      }
    }
    return latest;
  }
}
