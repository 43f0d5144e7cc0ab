/** Every kind of document the sync endpoint serves, and how a document name finds its kind. */
import { WORKSPACE_DOC, WorkspaceTemplates, templateForActionType, templateForCard } from '@passerelle/shared';
import { boardKind } from './board.js';
import { internalKind } from './internal.js';
import type { DocumentTarget, ServerDocumentKind } from './kind.js';
import { proposalKinds, type ProposalTemplateSource, type ReadDocument, type TemplateChoice } from './proposal.js';
import { workspaceKind } from './workspace.js';

export type { ReadDocument, TemplateChoice, TemplateResolver } from './proposal.js';
export type { AccessContext, BoardChange, DocumentEvents, DocumentTarget, HookContext, ServerDocumentKind, WorkspaceChange } from './kind.js';

/**
 * The template a proposal card's documents are created from: the one the card names (shipped, or the
 * workspace's, read from the workspace document), else its action type's usual one; null when neither exists.
 */
export async function resolveProposalTemplate(card: TemplateChoice, read: ReadDocument): Promise<ProposalTemplateSource | null> {
  // The shipped templates need no document: only a card naming a workspace template reads it.
  const template =
    card.templateId === null ? templateForActionType(card.actionType) : await read(WORKSPACE_DOC, (doc) => templateForCard(new WorkspaceTemplates(doc), card));
  return template ? { templateId: template.id, sections: template.sections } : null;
}

const { proposalKind, proposalInternalKind } = proposalKinds(resolveProposalTemplate);

/** The kinds, in the order a name is tried against them. */
export const DOCUMENT_KINDS: readonly ServerDocumentKind[] = [workspaceKind, boardKind, internalKind, proposalKind, proposalInternalKind];

/** How many of the given kind names there are of each kind, every kind listed (those with none at zero): the metrics' census. */
export function countByKind(kindNames: Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(DOCUMENT_KINDS.map((kind) => [kind.name, 0]));
  for (const name of kindNames) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/** The document a name denotes, or null when no kind has such a name. */
export function documentTarget(name: string): DocumentTarget | null {
  for (const kind of DOCUMENT_KINDS) {
    const target = kind.parse(name);
    if (target) return target;
  }
  return null;
}

/** The names of a board's documents (every kind that belongs to a board). */
export function boardDocumentNames(boardId: string): string[] {
  return DOCUMENT_KINDS.flatMap((kind) => (kind.nameFor ? [kind.nameFor(boardId)] : []));
}

/** A name no kind claims, treated as a board's document as it always was (the server's own edits name documents directly). */
export function fallbackTarget(name: string): DocumentTarget {
  return { kind: boardKind, name, boardId: name };
}
