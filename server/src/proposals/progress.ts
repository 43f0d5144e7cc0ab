/**
 * A board's proposals' progress (sections done, over their limit, overdue, translations out of
 * date), read from the live documents: for members the shared and internal sections together, for
 * partner guests the shared ones only. A proposal whose document was never opened is not opened to
 * count it (that would create its sections, and fix its template before anyone chose one): it
 * counts the sections its template will give it, none of them done.
 */
import {
  BoardDoc,
  ProposalDoc,
  type AgreementOrigin,
  proposalDocName,
  proposalInternalDocName,
  type ProposalDueSection,
  type ProposalListEntry,
  type ProposalProgress,
  type ProposalSummary,
} from '@passerelle/shared';
import type { ReadDocument, TemplateChoice, TemplateResolver } from '../documents/index.js';

/** How progress reads the documents. */
export interface ProgressSources {
  /** Reads a document's live state (`SyncServer.readDocument`). */
  read: ReadDocument;
  /** Whether a document was ever opened: it has a room or something stored. */
  exists(name: string): Promise<boolean>;
  /** The template a card's documents are, or will be, created from. */
  resolveTemplate: TemplateResolver;
}

/** What a proposal's progress is asked for: its card, who reads it and the day (for what is overdue). */
export interface ProgressTarget {
  boardId: string;
  cardId: string;
  card: TemplateChoice;
  includeInternal: boolean;
  /** `YYYY-MM-DD`: a section due before it and not done is overdue. */
  today: string;
}

const NOTHING: ProposalProgress = { sections: 0, done: 0, overLimit: 0, overdue: 0, outOfDate: 0 };

/** A proposal's progress as `target`'s reader counts it, and the template its sections came from (null before its document was opened). */
export async function proposalProgress(sources: ProgressSources, target: ProgressTarget): Promise<{ templateId: string | null; progress: ProposalProgress }> {
  const sharedName = proposalDocName(target.boardId, target.cardId);
  if (!(await sources.exists(sharedName))) {
    const template = await sources.resolveTemplate(target.card, sources.read);
    const sections = template ? template.sections.filter((section) => target.includeInternal || !section.internal).length : 0;
    return { templateId: null, progress: { ...NOTHING, sections } };
  }
  const shared = await sources.read(sharedName, (doc) => {
    const proposal = new ProposalDoc(doc);
    return { templateId: proposal.templateId, progress: proposal.progress(target.today) };
  });
  const progress = { ...shared.progress };
  if (target.includeInternal) {
    const internal = await sources.read(proposalInternalDocName(target.boardId, target.cardId), (doc) => new ProposalDoc(doc).progress(target.today));
    for (const key of Object.keys(progress) as (keyof ProposalProgress)[]) progress[key] += internal[key];
  }
  return { templateId: shared.templateId, progress };
}

/** Today's date as progress counts it (UTC). */
export function progressDay(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The proposals of a board with their progress (the internal sections counted for members only). */
export async function listProposals(sources: ProgressSources, target: { boardId: string; includeInternal: boolean; today: string }): Promise<ProposalSummary[]> {
  const cards = await sources.read(target.boardId, (doc) =>
    new BoardDoc(doc).listProposals().map((proposal) => ({
      cardId: proposal.id,
      title: proposal.title,
      actionType: proposal.actionType,
      stage: proposal.stage,
      templateChoice: proposal.templateId,
    })),
  );
  const summaries: ProposalSummary[] = [];
  for (const { templateChoice, ...card } of cards) {
    const { templateId, progress } = await proposalProgress(sources, {
      boardId: target.boardId,
      cardId: card.cardId,
      card: { actionType: card.actionType, templateId: templateChoice },
      includeInternal: target.includeInternal,
      today: target.today,
    });
    summaries.push({ ...card, templateId, progress });
  }
  return summaries;
}

/** The sections of a proposal that have a due date, soonest first; none before its document was first opened. */
export async function proposalDueSections(sources: ProgressSources, target: { boardId: string; cardId: string; includeInternal: boolean }): Promise<ProposalDueSection[]> {
  const sharedName = proposalDocName(target.boardId, target.cardId);
  if (!(await sources.exists(sharedName))) return [];
  const dueOf = (doc: Parameters<Parameters<ProgressSources['read']>[1]>[0]) =>
    new ProposalDoc(doc)
      .list()
      .flatMap((section) => (section.dueDate === null ? [] : [{ sectionId: section.id, title: section.title, dueDate: section.dueDate, done: section.status === 'done' }]));
  const sections = await sources.read(sharedName, dueOf);
  if (target.includeInternal) sections.push(...(await sources.read(proposalInternalDocName(target.boardId, target.cardId), dueOf)));
  return sections.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.sectionId.localeCompare(b.sectionId));
}

/**
 * The proposals of the given boards, each with its board, fields, progress and due dates; the
 * caller has already decided which boards the reader may see and whether internal sections count.
 */
export async function listProposalsAcross(
  sources: ProgressSources,
  boards: readonly { id: string; title: string }[],
  target: { includeInternal: boolean; today: string },
): Promise<ProposalListEntry[]> {
  const entries: ProposalListEntry[] = [];
  for (const board of boards) {
    const fields = await sources.read(board.id, (doc) =>
      new Map(new BoardDoc(doc).listProposals().map((proposal) => [proposal.id, { leadDepartment: proposal.leadDepartment, partnerIds: proposal.partnerIds, agreementIds: proposal.agreementIds }])),
    );
    for (const summary of await listProposals(sources, { boardId: board.id, ...target })) {
      const own = fields.get(summary.cardId);
      if (!own) continue;
      const dueSections = await proposalDueSections(sources, { boardId: board.id, cardId: summary.cardId, includeInternal: target.includeInternal });
      const nextDue = dueSections.find((section) => !section.done)?.dueDate ?? null;
      entries.push({ ...summary, boardId: board.id, boardTitle: board.title, ...own, dueSections, nextDue });
    }
  }
  return entries;
}

/** The proposals of the given boards that name an agreement, one entry per agreement named: read from the boards alone. */
export async function listAgreementOrigins(sources: ProgressSources, boards: readonly { id: string }[]): Promise<AgreementOrigin[]> {
  const origins: AgreementOrigin[] = [];
  for (const board of boards) {
    const found = await sources.read(board.id, (doc) =>
      new BoardDoc(doc)
        .listProposals()
        .flatMap((proposal) => proposal.agreementIds.map((agreementId) => ({ agreementId, boardId: board.id, cardId: proposal.id, title: proposal.title }))),
    );
    origins.push(...found);
  }
  return origins;
}
