/**
 * The internal side of a board visit (members only): the board's internal document (budgets,
 * internal notes, sign-off discussion) on its own connection, `/sync/<boardId>/internal`, with its
 * own undo history. A partner guest's session never creates one, so their browser never asks for
 * (nor receives) what the school keeps to itself.
 */
import { InternalDoc, internalDocName, type InternalProposalFields, type InternalProposalView, type Me } from '@passerelle/shared';
import type * as Y from 'yjs';
import { SyncedDoc } from '#lib/sync/synced-doc.svelte.js';

/** Why the internal document is not there: still loading, or refused for good (no access, board gone). */
export type InternalState = 'loading' | 'ready' | 'unavailable';

export class InternalSession {
  /** Presence goes through the board's connection only: this one announces no one. */
  readonly sync: SyncedDoc;
  readonly internal: InternalDoc;
  /** This person's internal undo history (the board session merges it with the board's in time order). */
  readonly undoManager: Y.UndoManager;

  readonly #me: Me;
  readonly #tracked = new Set<string>();

  constructor(boardId: string, me: Me) {
    this.#me = me;
    this.sync = new SyncedDoc(internalDocName(boardId), { silent: true });
    this.internal = new InternalDoc(this.sync.doc);
    this.undoManager = this.sync.trackUndo([this.internal.notes]);
  }

  /** Loading until the document arrives; a close code in 4400-4499 is final (no access, access ended, board gone). */
  get state(): InternalState {
    return this.sync.ended ? 'unavailable' : this.sync.loaded ? 'ready' : 'loading';
  }

  /** The signed-in person's id: they may delete their own discussion messages. */
  get myId(): string {
    return this.#me.id;
  }

  /** Everything internal about a proposal; reading it in a reactive context re-reads after each change. */
  proposal(cardId: string): InternalProposalView {
    void this.sync.version;
    return this.internal.getProposal(cardId);
  }

  /** The collaborative text of a proposal's internal notes (its edits join this person's undo history). */
  proposalNotesText(cardId: string): Y.Text {
    this.#track(cardId);
    return this.internal.proposalNotesText(cardId);
  }

  /** Changes internal fields of a proposal. Throws `ValidationError` (nothing is written then). */
  updateProposal(cardId: string, patch: Partial<InternalProposalFields>): void {
    this.#track(cardId);
    this.sync.step(() => this.internal.updateProposal(cardId, patch));
  }

  /** Posts a message in a proposal's sign-off discussion. Throws `ValidationError` when empty. */
  addDiscussionEntry(cardId: string, text: string): void {
    this.#track(cardId);
    this.sync.step(() => this.internal.addDiscussionEntry(cardId, { authorId: this.#me.id, authorName: this.#me.name, text }));
  }

  deleteDiscussionEntry(cardId: string, entryId: string): void {
    this.#track(cardId);
    this.sync.step(() => this.internal.deleteDiscussionEntry(cardId, entryId));
  }

  /** Ends the visit: closes the connection and forgets the document. */
  destroy(): void {
    this.sync.destroy();
  }

  /** A proposal's internal types join the undo scope when this person first touches them. */
  #track(cardId: string): void {
    if (this.#tracked.has(cardId)) return;
    this.#tracked.add(cardId);
    this.undoManager.addToScope(this.internal.proposalTypes(cardId));
  }
}
