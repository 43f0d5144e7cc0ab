/**
 * One visit to a proposal's text: its shared document (`/sync/<boardId>/proposal/<cardId>`, the
 * sections partners may read and co-write) and, for members only, its internal document (budget
 * justification, internal assessment), each on its own connection, plus a silent reader of the board
 * for the card's title, action type and stage. A partner guest's visit never opens the internal
 * document, so their browser never asks for, nor receives, an internal section.
 *
 * Both proposal documents announce this person: the co-authors' carets come through their
 * awareness. The board reader announces no one (the people on the board do not see a proposal
 * reader as a participant of the board).
 */
import {
  BoardDoc,
  can,
  colorForUser,
  parsePresence,
  proposalDocName,
  proposalInternalDocName,
  ProposalDoc,
  type BoardRole,
  type Me,
  type PresenceState,
  type ProposalProgress,
  type ProposalView,
  type SectionView,
} from '@passerelle/shared';
import { untrack } from 'svelte';
import type * as Y from 'yjs';
import { SyncedDoc, type SessionEnd } from '#lib/sync/synced-doc.svelte.js';

/** Which of a proposal's two documents holds a section. */
export type SectionSide = 'shared' | 'internal';

/** A section as the page lists it: its fields, where it lives, and that document's connection. */
export interface PageSection extends SectionView {
  side: SectionSide;
  proposal: ProposalDoc;
  sync: SyncedDoc;
}

/** Why the page shows no editor: still loading, or refused for good, or the card is not a proposal (any more). */
export type ProposalPageState = 'loading' | 'ready' | 'missing' | SessionEnd;

export class ProposalSession {
  readonly boardId: string;
  readonly cardId: string;
  readonly me: Me;
  readonly shared: SyncedDoc;
  readonly internal: SyncedDoc | null;
  readonly sharedProposal: ProposalDoc;
  readonly internalProposal: ProposalDoc | null;
  readonly #board: SyncedDoc;
  readonly #boardDoc: BoardDoc;

  /** This person's role on the board (a guest's invite role, a member's board role). */
  role = $state<BoardRole | null>(null);

  constructor(boardId: string, cardId: string, me: Me, role: BoardRole | null) {
    this.boardId = boardId;
    this.cardId = cardId;
    this.me = me;
    this.role = role;
    this.#board = new SyncedDoc(boardId, { silent: true });
    this.#boardDoc = new BoardDoc(this.#board.doc);
    this.shared = new SyncedDoc(proposalDocName(boardId, cardId));
    this.sharedProposal = new ProposalDoc(this.shared.doc);
    // Internal sections never reach a partner guest: their visit does not even ask.
    this.internal = me.guest ? null : new SyncedDoc(proposalInternalDocName(boardId, cardId));
    this.internalProposal = this.internal ? new ProposalDoc(this.internal.doc) : null;
    this.#followFields(this.sharedProposal);
    if (this.internalProposal) this.#followFields(this.internalProposal);
  }

  /**
   * Bumped after a transaction that added, removed or changed a section's own fields (title,
   * owner, status, due date, limit, source language), not after one that only changed a text:
   * a co-author's keystroke does not make the page list its sections again.
   */
  #fieldsVersion = $state(0);
  readonly #unfollow: (() => void)[] = [];
  #followFields(proposal: ProposalDoc): void {
    const sections: unknown = proposal.sections;
    const onTransaction = (transaction: Y.Transaction) => {
      for (const type of transaction.changed.keys()) {
        if (type === sections || type._item?.parent === sections) {
          // (A transaction made inside an effect must not make that effect depend on this count.)
          untrack(() => this.#fieldsVersion++);
          return;
        }
      }
    };
    proposal.doc.on('afterTransaction', onTransaction);
    this.#unfollow.push(() => proposal.doc.off('afterTransaction', onTransaction));
  }

  /** Whether this person may write the text and the sections' fields. */
  get canEdit(): boolean {
    return can.edit(this.role);
  }

  /** Whether this person may comment (and so suggest). */
  get canComment(): boolean {
    return can.comment(this.role);
  }

  /** Whether this person may change a section's owner, status, due date and source language (partners write the text only). */
  get canManageSections(): boolean {
    return this.canEdit && !this.me.guest;
  }

  /** The card, read live; undefined while the board loads or when it is not a proposal (any more). */
  get card(): ProposalView | undefined {
    void this.#board.version;
    return this.#boardDoc.getProposal(this.cardId);
  }

  get state(): ProposalPageState {
    const ended = this.shared.ended ?? this.#board.ended;
    if (ended === 'forbidden' || ended === 'gone') return this.#board.loaded && !this.#board.ended ? 'missing' : ended;
    if (ended) return ended;
    if (!this.#board.loaded || !this.shared.loaded) return 'loading';
    return this.card ? 'ready' : 'missing';
  }

  /** Whether every open connection is online and in sync (what the connection indicator shows). */
  get connections(): SyncedDoc[] {
    return this.internal ? [this.shared, this.internal] : [this.shared];
  }

  /**
   * Every section this person may read, shared and internal interleaved in the template's order.
   * The same array (and the same section objects) as long as no section's fields changed: typing in
   * a section changes its text, not the list, so the other sections are not read again.
   */
  get sections(): PageSection[] {
    void this.#fieldsVersion;
    const shared = this.sharedProposal.list().map((view): PageSection => ({ ...view, side: 'shared', proposal: this.sharedProposal, sync: this.shared }));
    const internal =
      this.internalProposal && this.internal
        ? this.internalProposal.list().map((view): PageSection => ({ ...view, side: 'internal', proposal: this.internalProposal!, sync: this.internal! }))
        : [];
    const sections = [...shared, ...internal].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
    const key = JSON.stringify(sections.map(({ proposal: _proposal, sync: _sync, ...fields }) => fields));
    if (key !== this.#sectionsKey) {
      this.#sectionsKey = key;
      this.#sections = sections;
    }
    return this.#sections;
  }
  #sectionsKey = '';
  #sections: PageSection[] = [];

  /** Sections done, over the limit, overdue and with a translation out of date, over everything this person reads. */
  progress(today: string): ProposalProgress {
    void this.shared.version;
    void this.internal?.version;
    const shared = this.sharedProposal.progress(today);
    if (!this.internalProposal) return shared;
    const internal = this.internalProposal.progress(today);
    return {
      sections: shared.sections + internal.sections,
      done: shared.done + internal.done,
      overLimit: shared.overLimit + internal.overLimit,
      overdue: shared.overdue + internal.overdue,
      outOfDate: shared.outOfDate + internal.outOfDate,
    };
  }

  /** The people with this proposal open (one entry per person, this person first). */
  get people(): PresenceState['user'][] {
    void this.presenceVersion;
    // This person's own state is not stamped by the server: they are listed from who they are.
    const seen = new Map<string, PresenceState['user']>([[this.me.id, { id: this.me.id, name: this.me.name, color: colorForUser(this.me.id) }]]);
    for (const sync of this.connections) {
      for (const state of sync.awareness.getStates().values()) {
        const presence = parsePresence(state);
        if (presence && !seen.has(presence.user.id)) seen.set(presence.user.id, presence.user);
      }
    }
    return [...seen.values()].sort((a, b) => (a.id === this.me.id ? -1 : b.id === this.me.id ? 1 : a.name.localeCompare(b.name)));
  }

  /** Bumped when someone arrives or leaves (not when a caret moves: each keystroke moves one). */
  presenceVersion = $state(0);
  #presenceKey = '';
  readonly #onPresence = (): void => {
    const users: string[] = [];
    for (const sync of this.connections) {
      for (const state of sync.awareness.getStates().values()) {
        const user = (state as { user?: { id?: unknown; name?: unknown; color?: unknown } }).user;
        if (user) users.push(`${String(user.id)}\u0000${String(user.name)}\u0000${String(user.color)}`);
      }
    }
    const key = users.sort().join('\u0001');
    if (key === this.#presenceKey) return;
    this.#presenceKey = key;
    this.presenceVersion++;
  };

  /** Starts following the co-authors' presence (call once the page is mounted). */
  watchPresence(): () => void {
    for (const sync of this.connections) sync.awareness.on('change', this.#onPresence);
    return () => {
      for (const sync of this.connections) sync.awareness.off('change', this.#onPresence);
    };
  }

  /**
   * Closes one of the visit's documents and deletes the copy this browser keeps of it: the server
   * refused a change of this person's to it (they may only read it), so the change must neither show
   * nor come back at the next opening. The page then opens the visit again, that document from the
   * server and the others from their copies. Resolves once the copy is deleted.
   */
  discard(document: 'board' | 'proposal' | 'proposal_internal'): Promise<void> {
    const sync = document === 'board' ? this.#board : document === 'proposal' ? this.shared : this.internal;
    return sync ? sync.discard() : Promise.resolve();
  }

  /** Ends the visit: closes the connections and forgets the documents. */
  destroy(): void {
    for (const unfollow of this.#unfollow) unfollow();
    this.#board.destroy();
    this.shared.destroy();
    this.internal?.destroy();
  }
}
