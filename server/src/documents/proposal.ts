/**
 * A proposal's text on the server (`/sync/<boardId>/proposal/<cardId>` and its `/internal`
 * companion; layout in `shared/src/documents/proposal.ts`). The shared document is open to the
 * board's members and guests with their role on the board; the internal one to members only, so a
 * partner guest's browser never receives an internal section. Either exists only for a proposal
 * card of the board; the first load creates the sections of the card's template. After each
 * person's change the rules in `proposal-rules.ts` run: edit stamps, the guests' limits, the
 * commenters' (who write suggestions only), and comments tied again to words an edit re-inserted.
 */
import type * as Y from 'yjs';
import {
  BoardDoc,
  isId,
  migrateProposal,
  parseProposalDocName,
  proposalDocName,
  proposalDocument,
  ProposalDoc,
  schemaVersionOf,
  type ActionType,
  type SectionSeed,
} from '@passerelle/shared';
import type { SyncDocumentKind } from '../observability/metrics.js';
import { boardExists, type AccessContext, type DocumentTarget, type ServerDocumentKind } from './kind.js';
import { reanchorMovedComments, stampEdits, undoClientCommentChanges, undoCommenterEdits, undoForgedStamps, undoGuestStructureChanges } from './proposal-rules.js';

/** What a proposal document is made from: its template's id and the sections of one side (shared or internal). */
export interface ProposalTemplateSource {
  templateId: string;
  sections: readonly (SectionSeed & { internal: boolean })[];
}

/** Reads another document once loaded (`HookContext.withDocument`, `SyncServer.readDocument`). */
export type ReadDocument = <T>(name: string, read: (doc: Y.Doc) => T) => Promise<T>;

/** What of a proposal card decides its template: the one it names, else its action type's usual one. */
export interface TemplateChoice {
  actionType: ActionType;
  templateId: string | null;
}

/** Finds the template of a proposal card (shipped ones in `shared/`, the workspace's in its document); null when there is none. */
export type TemplateResolver = (card: TemplateChoice, read: ReadDocument) => Promise<ProposalTemplateSource | null>;

/** The card a proposal document belongs to. */
function cardIdOf(target: DocumentTarget): string {
  return parseProposalDocName(target.name)!.cardId;
}

/** What decides the proposal card's template, or null when the board has no such proposal (deleted, a note, never was). */
async function proposalCard(context: Pick<AccessContext, 'withDocument'>, boardId: string, cardId: string): Promise<TemplateChoice | null> {
  return context.withDocument(boardId, (doc: Y.Doc) => {
    const proposal = new BoardDoc(doc).getProposal(cardId);
    return proposal ? { actionType: proposal.actionType, templateId: proposal.templateId } : null;
  });
}

function proposalKindOf(internal: boolean, resolveTemplate: TemplateResolver): ServerDocumentKind {
  const name: SyncDocumentKind = internal ? 'proposal_internal' : 'proposal';
  const kind: ServerDocumentKind = {
    name,
    // Commenters write suggestions (`undoCommenterEdits` keeps nothing else of theirs); viewers read.
    minimumWriteRole: 'commenter',
    parse(documentName) {
      const parsed = parseProposalDocName(documentName);
      if (!parsed || parsed.internal !== internal || !isId(parsed.boardId) || !isId(parsed.cardId)) return null;
      return { kind, name: documentName, boardId: parsed.boardId };
    },
    async roleOf(principal, target, context) {
      const boardId = target.boardId!;
      const exists = await boardExists(principal, boardId, context);
      if (exists !== true) return exists;
      // Internal sections never reach a guest.
      if (internal && principal.kind !== 'member') return null;
      const role = await context.access.roleOf(principal, boardId);
      if (role === null) return null;
      // A guest must not learn which cards exist beyond what the board shows them: refused alike.
      if ((await proposalCard(context, boardId, cardIdOf(target))) === null) return principal.kind === 'guest' ? null : 'missing';
      return role;
    },
    hooks(target, { events, withDocument }) {
      const boardId = target.boardId!;
      const cardId = cardIdOf(target);
      return {
        schema: { version: proposalDocument.schemaVersion, versionOf: schemaVersionOf },
        async onLoad(doc) {
          migrateProposal(doc);
          const proposal = new ProposalDoc(doc);
          if (proposal.templateId !== null) return false;
          const card = await proposalCard({ withDocument }, boardId, cardId);
          let template = card === null ? null : await resolveTemplate(card, withDocument);
          if (template && internal) {
            // The internal sections follow the template the shared ones came from (creating those
            // first if need be): a card's choice changed in between must not split the proposal.
            const sharedTemplateId = await withDocument(proposalDocName(boardId, cardId), (shared) => new ProposalDoc(shared).templateId);
            if (sharedTemplateId && sharedTemplateId !== template.templateId) template = await resolveTemplate({ ...card!, templateId: sharedTemplateId }, withDocument);
          }
          if (template) {
            const seeds = template.sections.map((section, order) => ({ ...section, order })).filter((section) => section.internal === internal);
            proposal.createSections(template.templateId, seeds);
          }
          return false;
        },
        afterTransaction({ doc, transaction, actor, logger }) {
          if (actor.role === 'commenter') {
            // Covers the structure too: a commenter's change of it is undone with the rest.
            const { undone } = undoCommenterEdits(doc, transaction, actor);
            if (undone !== 0) logger.info({ userId: actor.userId, undone }, 'a commenter’s changes that were not suggestions undone');
            if (undone === 'all') return;
          } else if (actor.kind === 'guest') {
            const { undone, deletedSections } = undoGuestStructureChanges(doc, transaction);
            if (undone > 0) logger.info({ userId: actor.userId, undone }, 'a guest’s changes to the proposal’s structure undone');
            if (deletedSections.length > 0) logger.warn({ userId: actor.userId, deletedSections }, 'a guest deleted proposal sections');
          }
          if (undoForgedStamps(doc, transaction) > 0) logger.warn({ userId: actor.userId }, 'edit stamps written by a client undone');
          if (undoClientCommentChanges(doc, transaction)) logger.warn({ userId: actor.userId }, 'comments written by a client undone');
          stampEdits(doc, transaction, actor);
          reanchorMovedComments(doc, transaction);
        },
        onChange: () => events.onProposalChange?.({ boardId, cardId }),
        onWriteRefused: (userId) => events.onWriteRefused?.(userId, boardId, name),
      };
    },
  };
  return kind;
}

/** The two kinds of a proposal's documents, creating sections from the templates `resolveTemplate` finds. */
export function proposalKinds(resolveTemplate: TemplateResolver): { proposalKind: ServerDocumentKind; proposalInternalKind: ServerDocumentKind } {
  return { proposalKind: proposalKindOf(false, resolveTemplate), proposalInternalKind: proposalKindOf(true, resolveTemplate) };
}
