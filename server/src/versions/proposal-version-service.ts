/**
 * The version history of proposals: named versions of a proposal card's two documents (shared and
 * internal sections) taken together, read-only views, word-by-word comparisons of a section, and
 * restores. Versions live in the board's `VersionStore` under the target `proposal/<cardId>`, so
 * the board's caps count them and deleting the board deletes them. A guest's answers are built from
 * the shared document alone: the internal one is never read for them.
 */
import type { Logger } from 'pino';
import * as Y from 'yjs';
import {
  BoardDoc,
  CURRENT_PROPOSAL_STATE,
  PROPOSAL_LANGUAGES,
  ProposalDoc,
  compareTexts,
  migrateProposal,
  newId,
  plainText,
  proposalDocName,
  proposalInternalDocName,
  richTextBlocks,
  type ProposalRestoreResult,
  type ProposalVersionComparison,
  type ProposalVersionCompareQuery,
  type ProposalVersionSection,
  type ProposalVersionSummary,
  type ProposalVersionView,
  type VersionPerson,
  type VersionSummary,
} from '@passerelle/shared';
import type { ActivityStore } from '../store/account-store.js';
import { ServerEdit, type SyncServer } from '../sync/sync-server.js';
import { restoreDocument } from './restore.js';
import { proposalTarget, summaryOf, type StoredVersion, type VersionLimits, type VersionStore } from './version-store.js';

/** The history field a proposal's restore is recorded under (`history.field.proposalText`). */
export const PROPOSAL_RESTORE_HISTORY_FIELD = 'proposalText';

export interface ProposalVersionServiceOptions {
  store: VersionStore;
  /** The live rooms: proposals are read (and their sections created) through them, and restored as edits. */
  sync: Pick<SyncServer, 'readDocument' | 'editDocument'>;
  /** The board's caps on versions, which a proposal's versions count against. */
  limits: () => VersionLimits;
  /** Automatic versions (the states kept before restores) kept per proposal. */
  keepAuto: number;
  /** Where a restore is recorded in the board's history, under the person who restored (optional). */
  history?: Pick<ActivityStore, 'appendHistory'>;
  /** Keeps track of writes in flight, so that the server's close waits for them. */
  track: <T>(work: Promise<T>) => Promise<T>;
  logger: Logger;
}

/** A proposal's two documents at one instant. */
interface ProposalStates {
  boardState: Uint8Array;
  internalState: Uint8Array;
}

/** A proposal's documents decoded into throwaway docs brought to the current schema; `internal` only when the reader may have it. */
interface OpenedProposal {
  shared: ProposalDoc;
  internal: ProposalDoc | null;
  destroy(): void;
}

function openDocument(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  // A version taken before a schema upgrade speaks the current schema once migrated (on the copy).
  migrateProposal(doc);
  return doc;
}

function openProposal(states: ProposalStates, includeInternal: boolean): OpenedProposal {
  const shared = openDocument(states.boardState);
  const internal = includeInternal ? openDocument(states.internalState) : null;
  return {
    shared: new ProposalDoc(shared),
    internal: internal && new ProposalDoc(internal),
    destroy() {
      shared.destroy();
      internal?.destroy();
    },
  };
}

function sectionsOf(proposal: ProposalDoc, internal: boolean): ProposalVersionSection[] {
  return proposal.list().map((section) => {
    const textOf = (language: 'fr' | 'en') => {
      const fragment = proposal.text(section.id, language);
      return fragment ? richTextBlocks(fragment) : [];
    };
    return {
      id: section.id,
      order: section.order,
      internal,
      title: section.title,
      status: section.status,
      owner: section.owner,
      dueDate: section.dueDate,
      texts: { fr: textOf('fr'), en: textOf('en') },
    };
  });
}

/** Each text of a proposal document written out with its marks, by section and language. */
function textsOf(proposal: ProposalDoc): { sectionId: string; language: (typeof PROPOSAL_LANGUAGES)[number]; text: string }[] {
  return proposal.list().flatMap((section) => PROPOSAL_LANGUAGES.map((language) => ({ sectionId: section.id, language, text: proposal.text(section.id, language)?.toString() ?? '' })));
}

/**
 * Restores a version into a live proposal document (in the caller's transaction) and stamps the
 * texts it changed with the person who restored them, as the server stamps anyone's edit, so that
 * "last changed by" and a translation's "out of date since" name them.
 */
function restoreProposal(live: Y.Doc, version: Y.Doc, actor: VersionPerson, origin: ServerEdit): void {
  const proposal = new ProposalDoc(live);
  const before = textsOf(proposal);
  restoreDocument(live, version, 'proposal', origin);
  const at = new Date().toISOString();
  for (const { sectionId, language, text } of textsOf(proposal)) {
    if (before.some((was) => was.sectionId === sectionId && was.language === language && was.text === text)) continue;
    proposal.stampEdit(sectionId, language, { userId: actor.id, name: actor.name, at });
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** The proposal versions of a board's cards; every method answers undefined (or null) when the board has no such proposal. */
export class ProposalVersionService {
  readonly #options: ProposalVersionServiceOptions;

  constructor(options: ProposalVersionServiceOptions) {
    this.#options = options;
  }

  /** The proposal card's title, or null when the board has no proposal card of that id (a note, deleted, never was). */
  async #card(boardId: string, cardId: string): Promise<{ title: string } | null> {
    return this.#options.sync.readDocument(boardId, (doc) => {
      const card = new BoardDoc(doc).getProposal(cardId);
      return card ? { title: card.title } : null;
    });
  }

  /**
   * The proposal's two documents as they are now (the live rooms', loading them if needed); without
   * `includeInternal`, the internal one is not read at all (an empty state stands in for it).
   */
  async #currentStates(boardId: string, cardId: string, includeInternal = true): Promise<ProposalStates> {
    const [boardState, internalState] = await Promise.all([
      this.#options.sync.readDocument(proposalDocName(boardId, cardId), (doc) => Y.encodeStateAsUpdate(doc)),
      includeInternal ? this.#options.sync.readDocument(proposalInternalDocName(boardId, cardId), (doc) => Y.encodeStateAsUpdate(doc)) : Y.encodeStateAsUpdate(new Y.Doc()),
    ]);
    return { boardState, internalState };
  }

  async #store(boardId: string, cardId: string, meta: Pick<VersionSummary, 'kind' | 'name' | 'createdBy' | 'editors'>, states: ProposalStates): Promise<ProposalVersionSummary> {
    const target = proposalTarget(cardId);
    const version: StoredVersion = { id: newId(), boardId, at: new Date().toISOString(), ...meta, ...states };
    await this.#options.store.insert(version, this.#options.limits(), target);
    if (version.kind === 'auto') await this.#options.store.pruneAuto(boardId, this.#options.keepAuto, target);
    this.#options.logger.debug({ boardId, cardId, versionId: version.id, kind: version.kind }, 'proposal version taken');
    return { ...summaryOf(version), cardId };
  }

  /** The proposal's versions, newest first; null when the board has no such proposal. */
  async list(boardId: string, cardId: string): Promise<ProposalVersionSummary[] | null> {
    if (!(await this.#card(boardId, cardId))) return null;
    return (await this.#options.store.list(boardId, proposalTarget(cardId))).map((version) => ({ ...version, cardId }));
  }

  /** Names the proposal's current state (both documents); rejects with `VersionLimitError` past the board's caps. */
  async createNamed(boardId: string, cardId: string, name: string, createdBy: VersionPerson): Promise<ProposalVersionSummary | undefined> {
    if (!(await this.#card(boardId, cardId))) return undefined;
    const states = await this.#currentStates(boardId, cardId);
    return this.#options.track(this.#store(boardId, cardId, { kind: 'named', name, createdBy, editors: [] }, states));
  }

  /** A version read only, as sections in the template's order; the internal ones only with `includeInternal`. */
  async view(boardId: string, cardId: string, versionId: string, includeInternal: boolean): Promise<ProposalVersionView | undefined> {
    const card = await this.#card(boardId, cardId);
    const version = card && (await this.#options.store.get(boardId, versionId, proposalTarget(cardId)));
    if (!card || !version) return undefined;
    const opened = openProposal(version, includeInternal);
    try {
      const sections = [...sectionsOf(opened.shared, false), ...(opened.internal ? sectionsOf(opened.internal, true) : [])].sort(
        (a, b) => a.order - b.order || a.id.localeCompare(b.id),
      );
      const { boardState: _shared, internalState: _internal, ...summary } = version;
      return { version: { ...summary, cardId }, title: card.title, sections };
    } finally {
      opened.destroy();
    }
  }

  /**
   * One section's text in one language compared between two states (versions or `current`), word
   * by word. Undefined when a version is not the proposal's, or when neither state has the section
   * among those the reader may have (an internal section for a guest).
   */
  async compare(boardId: string, cardId: string, query: ProposalVersionCompareQuery, includeInternal: boolean): Promise<ProposalVersionComparison | undefined> {
    if (!(await this.#card(boardId, cardId))) return undefined;
    const side = async (ref: string): Promise<{ summary: ProposalVersionSummary | null; states: ProposalStates } | undefined> => {
      if (ref === CURRENT_PROPOSAL_STATE) return { summary: null, states: await this.#currentStates(boardId, cardId, includeInternal) };
      const version = await this.#options.store.get(boardId, ref, proposalTarget(cardId));
      return version && { summary: { ...summaryOf(version), cardId }, states: version };
    };
    const [from, to] = await Promise.all([side(query.from), side(query.to)]);
    if (!from || !to) return undefined;
    const read = (states: ProposalStates) => {
      const opened = openProposal(states, includeInternal);
      try {
        const holder = [opened.shared, opened.internal].find((proposal) => proposal?.section(query.sectionId));
        if (!holder) return null;
        const fragment = holder.text(query.sectionId, query.lang);
        return { title: holder.section(query.sectionId)!.title, text: fragment ? plainText(fragment) : '' };
      } finally {
        opened.destroy();
      }
    };
    const before = read(from.states);
    const after = read(to.states);
    const title = after?.title ?? before?.title;
    if (!title) return undefined;
    return {
      sectionId: query.sectionId,
      language: query.lang,
      title,
      from: from.summary,
      to: to.summary,
      changes: compareTexts(before?.text ?? '', after?.text ?? ''),
    };
  }

  /** Deletes one of the proposal's versions; false when it is not the proposal's. */
  async delete(boardId: string, cardId: string, versionId: string): Promise<boolean> {
    if (!(await this.#card(boardId, cardId))) return false;
    return this.#options.store.delete(boardId, versionId, proposalTarget(cardId));
  }

  /**
   * Restores a version of both of the proposal's documents, each as one change of `actor`'s to the
   * live document, so that every connected editor sees the sections change as they would anyone's
   * edit. The state just before is kept as an automatic version first (unless the latest version
   * holds it), so that the restore can be undone; when the board's caps leave no room for it, the
   * restore is refused (`VersionLimitError`) before anything changes. The texts it changed are
   * stamped with `actor`, and the board's history records who restored the proposal.
   */
  async restore(boardId: string, cardId: string, versionId: string, actor: VersionPerson): Promise<ProposalRestoreResult | undefined> {
    const card = await this.#card(boardId, cardId);
    const version = card && (await this.#options.store.get(boardId, versionId, proposalTarget(cardId)));
    if (!card || !version) return undefined;
    const before = await this.#keepCurrentState(boardId, cardId);
    const opened = openProposal(version, true);
    try {
      const origin = new ServerEdit(actor);
      await this.#options.sync.editDocument(proposalDocName(boardId, cardId), (doc) => restoreProposal(doc, opened.shared.doc, actor, origin), actor);
      await this.#options.sync.editDocument(proposalInternalDocName(boardId, cardId), (doc) => restoreProposal(doc, opened.internal!.doc, actor, origin), actor);
    } finally {
      opened.destroy();
    }
    await this.#recordRestore(boardId, cardId, card.title, actor);
    return { restored: { ...summaryOf(version), cardId }, before };
  }

  /** Takes an automatic version of the proposal now, unless its latest version holds exactly the current states; null then. */
  async #keepCurrentState(boardId: string, cardId: string): Promise<ProposalVersionSummary | null> {
    const states = await this.#currentStates(boardId, cardId);
    const target = proposalTarget(cardId);
    const [latest] = await this.#options.store.list(boardId, target);
    const stored = latest && (await this.#options.store.get(boardId, latest.id, target));
    if (stored && sameBytes(stored.boardState, states.boardState) && sameBytes(stored.internalState, states.internalState)) return null;
    return this.#options.track(this.#store(boardId, cardId, { kind: 'auto', name: null, createdBy: null, editors: [] }, states));
  }

  /** A history entry on the card, as the board's own restore leaves one on each card it changed; a failure to record is logged, not the restore's. */
  async #recordRestore(boardId: string, cardId: string, title: string, actor: VersionPerson): Promise<void> {
    if (!this.#options.history) return;
    try {
      await this.#options.history.appendHistory(boardId, [
        { at: new Date().toISOString(), actorId: actor.id, actorName: actor.name, cardId, subjectKind: 'card', subject: title, action: 'updated', fields: [PROPOSAL_RESTORE_HISTORY_FIELD], coActors: [] },
      ]);
    } catch (error) {
      this.#options.logger.error({ err: error, boardId, cardId }, 'the restore of a proposal could not be recorded in the history');
    }
  }
}
