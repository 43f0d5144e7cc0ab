/**
 * What a proposal's export holds, read from the live documents in one language: the cover (title,
 * action, template, partners, stage, date) and the sections in their template's order, as rich-text
 * blocks. The internal sections only when the reader may have them (members; never a guest).
 */
import {
  BoardDoc,
  ProposalDoc,
  WORKSPACE_DOC,
  WorkspaceDoc,
  WorkspaceTemplates,
  findTemplate,
  proposalDocName,
  proposalInternalDocName,
  richTextBlocks,
  translate,
  type Locale,
  type RichBlock,
} from '@passerelle/shared';
import type * as Y from 'yjs';

/** Reads a document through its room (the live state), as `SyncServer.readDocument` does. */
export type ReadDocument = <T>(name: string, read: (doc: Y.Doc) => T) => Promise<T>;

export interface ExportedSection {
  id: string;
  title: string;
  internal: boolean;
  blocks: RichBlock[];
  characters: number;
  charLimit: number | null;
}

export interface ProposalExportContent {
  language: Locale;
  title: string;
  /** The action's label, with the programme's code when it has one ("Cooperation partnership (KA220-HED)"). */
  action: string;
  template: string | null;
  stage: string;
  partners: string[];
  /** The export's date, written in the language. */
  date: string;
  sections: ExportedSection[];
}

function sectionsOf(proposal: ProposalDoc, language: Locale, internal: boolean): (ExportedSection & { order: number })[] {
  return proposal.list().map((section) => {
    const text = proposal.text(section.id, language);
    return {
      id: section.id,
      order: section.order,
      title: section.title[language],
      internal,
      blocks: text ? richTextBlocks(text) : [],
      characters: proposal.characterCount(section.id, language),
      charLimit: section.charLimit,
    };
  });
}

/** The export of a board's proposal in `language`; null when the board has no such proposal. */
export async function loadProposalExport(
  read: ReadDocument,
  target: { boardId: string; cardId: string; language: Locale; includeInternal: boolean; today?: Date },
): Promise<ProposalExportContent | null> {
  const { boardId, cardId, language } = target;
  const card = await read(boardId, (doc) => new BoardDoc(doc).getProposal(cardId) ?? null);
  if (!card) return null;
  const partners = card.partnerIds.length === 0 ? [] : await read(WORKSPACE_DOC, (doc) => {
    const workspace = new WorkspaceDoc(doc);
    return card.partnerIds.flatMap((id) => {
      const partner = workspace.partners.get(id);
      return partner ? [partner.name] : [];
    });
  });
  const shared = await read(proposalDocName(boardId, cardId), (doc) => {
    const proposal = new ProposalDoc(doc);
    return { templateId: proposal.templateId, sections: sectionsOf(proposal, language, false) };
  });
  const internal = target.includeInternal ? await read(proposalInternalDocName(boardId, cardId), (doc) => sectionsOf(new ProposalDoc(doc), language, true)) : [];
  const templateId = shared.templateId;
  // A workspace template may have been deleted since: the export then names none.
  const template = templateId ? (findTemplate(templateId) ?? (await read(WORKSPACE_DOC, (doc) => new WorkspaceTemplates(doc).get(templateId)?.template))) : undefined;
  const actionLabel = translate(language, `actionType.${card.actionType}`);
  return {
    language,
    title: card.title,
    action: template?.actionCode ? `${template.name[language]} (${template.actionCode})` : actionLabel,
    template: template ? template.name[language] : null,
    stage: translate(language, `stage.${card.stage}`),
    partners,
    date: new Intl.DateTimeFormat(language, { dateStyle: 'long' }).format(target.today ?? new Date()),
    sections: [...shared.sections, ...internal].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id)).map(({ order: _order, ...section }) => section),
  };
}
