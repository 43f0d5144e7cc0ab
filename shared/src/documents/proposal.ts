/**
 * A proposal's text as a document kind: the application a proposal card is written into, section by
 * section in its programme template's structure, in French and English. Each proposal has two
 * documents, so that opening a board loads no proposal text and a partner guest never receives an
 * internal section:
 *   `<boardId>/proposal/<cardId>`           the shared sections (members and the board's guests);
 *   `<boardId>/proposal/<cardId>/internal`  the internal sections (members only: budget
 *                                           justification, internal assessment).
 *
 * Layout (schema version 1), the same in both:
 *   meta:     Y.Map { schemaVersion: number, templateId: string }
 *   sections: Y.Map<sectionId, Y.Map {
 *               order: number, title: {fr, en}, guidance: {fr, en}, charLimit: number | null,
 *               owner: SectionOwner | null, status: SectionStatus, dueDate: 'YYYY-MM-DD' | null,
 *               sourceLanguage: 'fr' | 'en',
 *               fr: Y.XmlFragment, en: Y.XmlFragment,      (the rich text, bound to the editor)
 *               aligned: Y.Map<'fr' | 'en', Alignment>,   (the translation's last bringing in line)
 *               edited:  Y.Map<'fr' | 'en', EditStamp>,   (who last changed each text and when; the server's)
 *             }>
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { Locale } from '../api.js';
import { IsoDate } from '../domain/identifiers.js';
import { Department } from '../domain/vocabulary.js';
import { countCharacters, type TemplateSection } from '../proposals/template.js';
import { DocumentTooNewError, defineDocumentKind, firstLayout } from './kind.js';
import { BLOCK_SUGGESTION, acceptedText, agreedText, blockSuggestionOf } from './suggestions.js';
import { compareTexts, type TextChange } from './text-diff.js';
import { runMigrations, type MigrationResult } from './migrations.js';

export const PROPOSAL_SCHEMA_VERSION = 1;

/** The languages a proposal is written in. */
export const PROPOSAL_LANGUAGES = Locale.options;
export type ProposalLanguage = Locale;

/** Where a section stands. */
export const SectionStatus = z.enum(['to_write', 'drafting', 'in_review', 'done']);
export type SectionStatus = z.infer<typeof SectionStatus>;
export const SECTION_STATUSES = SectionStatus.options;

/** Who writes a section: a department, or one person. */
export const SectionOwner = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('department'), department: Department }),
  z.object({ kind: z.literal('person'), userId: z.string().min(1).max(64), name: z.string().max(200) }),
]);
export type SectionOwner = z.infer<typeof SectionOwner>;

/** A section's title or guidance as the document holds it (copied from the template, so editing a template changes no proposal). */
const Bilingual = z.object({ fr: z.string(), en: z.string() });
type Bilingual = z.infer<typeof Bilingual>;

/** A translation brought in line with its source: the source's text then, and who did it when. */
export const Alignment = z.object({ sourceText: z.string(), at: z.string(), by: z.string() });
export type Alignment = z.infer<typeof Alignment>;

/** Who last changed a section's text in one language, and when (written by the server). */
export const EditStamp = z.object({ userId: z.string(), name: z.string(), at: z.string() });
export type EditStamp = z.infer<typeof EditStamp>;

/** The keys of a section a partner guest may change: the texts and their bringing in line. */
export const GUEST_WRITABLE_SECTION_KEYS: ReadonlySet<string> = new Set(['fr', 'en', 'aligned']);

/** What a section is created from: a template's section. */
export type SectionSeed = Pick<TemplateSection, 'id' | 'title' | 'guidance' | 'charLimit' | 'defaultOwner'> & {
  sourceLanguage?: ProposalLanguage;
  /** The section's place in the whole template (shared and internal sections interleave); default its place among the seeds. */
  order?: number;
};

/** A section as read, with its two texts. */
export interface SectionView {
  id: string;
  order: number;
  title: Bilingual;
  guidance: Bilingual;
  charLimit: number | null;
  owner: SectionOwner | null;
  status: SectionStatus;
  dueDate: string | null;
  sourceLanguage: ProposalLanguage;
}

/** Where one language of a section stands against the other. */
export type TranslationState =
  /** This language is the section's source. */
  | { kind: 'source' }
  /** Brought in line with the source, which has not changed since. */
  | { kind: 'in_line'; alignment: Alignment }
  /** The source changed since (or it never was brought in line while the source has text). */
  | { kind: 'out_of_date'; alignment: Alignment | null }
  /** Neither has text yet. */
  | { kind: 'empty' };

/** A proposal's state at a glance (the card on the board shows it). */
export interface ProposalProgress {
  sections: number;
  done: number;
  overLimit: number;
  overdue: number;
  outOfDate: number;
}

/** The name of a proposal's shared document. */
export function proposalDocName(boardId: string, cardId: string): string {
  return `${boardId}/proposal/${cardId}`;
}

/** The name of a proposal's internal document. */
export function proposalInternalDocName(boardId: string, cardId: string): string {
  return `${proposalDocName(boardId, cardId)}/internal`;
}

/** The proposal a document name denotes, or null when it is not a proposal document's name (ids are not checked here). */
export function parseProposalDocName(name: string): { boardId: string; cardId: string; internal: boolean } | null {
  const [boardId, proposal, cardId, internal, ...more] = name.split('/');
  if (proposal !== 'proposal' || !boardId || !cardId || more.length > 0) return null;
  if (internal !== undefined && internal !== 'internal') return null;
  return { boardId, cardId, internal: internal === 'internal' };
}

/**
 * Which text of a rich text with pending suggestions is read: `agreed`, the text as it would be
 * submitted today (pending insertions left out, pending deletions kept), or `accepted`, the text as
 * it would read were every pending suggestion accepted.
 */
export type TextReading = 'agreed' | 'accepted';

/**
 * The text blocks of a rich text, one string each (paragraphs, headings, list items' and table cells'
 * paragraphs), as agreed so far: pending suggested insertions left out, pending deletions kept.
 */
export function textBlocks(fragment: Y.XmlFragment | Y.XmlElement, reading: TextReading = 'agreed'): string[] {
  const blocks: string[] = [];
  const read = reading === 'agreed' ? agreedText : acceptedText;
  // A suggested break not yet accepted (or a suggested join once accepted) is not a break: the block goes on the one before.
  const joined = reading === 'agreed' ? 'split' : 'join';
  const visit = (node: Y.XmlFragment | Y.XmlElement, joinsPrevious: boolean) => {
    let inline: string | null = null;
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        inline = (inline ?? '') + read(child);
      } else if (child instanceof Y.XmlElement) {
        if (child.nodeName === 'hardBreak') inline = (inline ?? '') + '\n';
        else visit(child, blockSuggestionOf(child.getAttribute(BLOCK_SUGGESTION))?.kind === joined);
      }
    }
    if (inline === null) return;
    if (joinsPrevious && blocks.length > 0) blocks[blocks.length - 1] += inline;
    else blocks.push(inline);
  };
  visit(fragment, false);
  return blocks;
}

/** A rich text as plain text: its blocks, one per line. */
export function plainText(fragment: Y.XmlFragment): string {
  return textBlocks(fragment).join('\n');
}

const other = (language: ProposalLanguage): ProposalLanguage => (language === 'fr' ? 'en' : 'fr');

/** Typed access to a proposal document (shared or internal). */
export class ProposalDoc {
  readonly doc: Y.Doc;
  readonly meta: Y.Map<unknown>;
  readonly sections: Y.Map<Y.Map<unknown>>;

  constructor(doc: Y.Doc) {
    this.doc = doc;
    this.meta = doc.getMap('meta');
    this.sections = doc.getMap('sections') as Y.Map<Y.Map<unknown>>;
  }

  get schemaVersion(): number {
    const version = this.meta.get('schemaVersion');
    return typeof version === 'number' ? version : 0;
  }

  /** The template the sections came from; null before they were created. */
  get templateId(): string | null {
    const id = this.meta.get('templateId');
    return typeof id === 'string' ? id : null;
  }

  /**
   * Creates the sections a template gives that the document does not have yet, in the template's
   * order, owned by their default department, with empty texts. Idempotent: a second run (or a
   * second process) adds nothing; sections already there keep their text.
   */
  createSections(templateId: string, seeds: readonly SectionSeed[]): number {
    let created = 0;
    this.doc.transact(() => {
      if (this.templateId === null) this.meta.set('templateId', templateId);
      seeds.forEach((seed, index) => {
        if (this.sections.has(seed.id)) return;
        const section = new Y.Map<unknown>();
        section.set('order', seed.order ?? index);
        section.set('title', { ...seed.title });
        section.set('guidance', { ...seed.guidance });
        section.set('charLimit', seed.charLimit);
        section.set('owner', { kind: 'department', department: seed.defaultOwner } satisfies SectionOwner);
        section.set('status', 'to_write' satisfies SectionStatus);
        section.set('dueDate', null);
        section.set('sourceLanguage', seed.sourceLanguage ?? 'fr');
        section.set('fr', new Y.XmlFragment());
        section.set('en', new Y.XmlFragment());
        section.set('aligned', new Y.Map<unknown>());
        section.set('edited', new Y.Map<unknown>());
        this.sections.set(seed.id, section);
        created++;
      });
    });
    return created;
  }

  /** The sections in their order (ties by id); entries that are not sections are skipped. */
  list(): SectionView[] {
    const views: SectionView[] = [];
    this.sections.forEach((section, id) => {
      if (section instanceof Y.Map) views.push(this.#view(id, section));
    });
    return views.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  }

  section(id: string): SectionView | null {
    const section = this.sections.get(id);
    return section instanceof Y.Map ? this.#view(id, section) : null;
  }

  /** The rich text of one language of a section (created if a writer lost it). */
  text(sectionId: string, language: ProposalLanguage): Y.XmlFragment | null {
    const section = this.sections.get(sectionId);
    if (!(section instanceof Y.Map)) return null;
    const text = section.get(language);
    return text instanceof Y.XmlFragment ? text : null;
  }

  /**
   * The number of characters of one language of a section as the programme counts them (spaces
   * included, `countCharacters`), block by block: of the text as it would be submitted (`agreed`,
   * the default, which limits and progress use) or as it would read with every suggestion accepted.
   */
  characterCount(sectionId: string, language: ProposalLanguage, reading: TextReading = 'agreed'): number {
    const text = this.text(sectionId, language);
    return text ? textBlocks(text, reading).reduce((sum, block) => sum + countCharacters(block), 0) : 0;
  }

  setStatus(sectionId: string, status: SectionStatus): void {
    this.#set(sectionId, 'status', SectionStatus.parse(status));
  }

  setOwner(sectionId: string, owner: SectionOwner | null): void {
    this.#set(sectionId, 'owner', owner === null ? null : SectionOwner.parse(owner));
  }

  setDueDate(sectionId: string, dueDate: string | null): void {
    this.#set(sectionId, 'dueDate', dueDate === null ? null : IsoDate.parse(dueDate));
  }

  setSourceLanguage(sectionId: string, language: ProposalLanguage): void {
    this.#set(sectionId, 'sourceLanguage', Locale.parse(language));
  }

  /** Records that `language` was brought in line with the section's source as it reads now. */
  markInLine(sectionId: string, language: ProposalLanguage, by: string, at = new Date().toISOString()): void {
    const section = this.#map(sectionId);
    const source = this.#view(sectionId, section).sourceLanguage;
    const sourceText = this.text(sectionId, source);
    let aligned = section.get('aligned');
    this.doc.transact(() => {
      if (!(aligned instanceof Y.Map)) {
        aligned = new Y.Map<unknown>();
        section.set('aligned', aligned);
      }
      (aligned as Y.Map<unknown>).set(language, { sourceText: sourceText ? plainText(sourceText) : '', at, by } satisfies Alignment);
    });
  }

  /** Who last changed one language of a section, and when; null before anyone did. */
  lastEdit(sectionId: string, language: ProposalLanguage): EditStamp | null {
    const edited = this.sections.get(sectionId)?.get('edited');
    const parsed = edited instanceof Y.Map ? EditStamp.safeParse(edited.get(language)) : null;
    return parsed?.success ? parsed.data : null;
  }

  /** Records who changed one language of a section (the server does, after each person's change). */
  stampEdit(sectionId: string, language: ProposalLanguage, stamp: EditStamp): void {
    const section = this.#map(sectionId);
    this.doc.transact(() => {
      let edited = section.get('edited');
      if (!(edited instanceof Y.Map)) {
        edited = new Y.Map<unknown>();
        section.set('edited', edited);
      }
      (edited as Y.Map<unknown>).set(language, stamp);
    });
  }

  /** The sections and languages whose text a transaction changed. */
  textsChangedBy(transaction: Y.Transaction): { sectionId: string; language: ProposalLanguage }[] {
    const found = new Map<string, { sectionId: string; language: ProposalLanguage }>();
    for (const type of transaction.changed.keys()) {
      // Up to the child of a section: one of its texts when the change was in a text.
      let node = type as Y.AbstractType<unknown>;
      while (node.parent && node.parent.parent && node.parent.parent !== this.sections) node = node.parent as Y.AbstractType<unknown>;
      const section = node.parent;
      if (!(section instanceof Y.Map) || section.parent !== this.sections) continue;
      const language = node._item?.parentSub;
      const sectionId = section._item?.parentSub;
      if ((language === 'fr' || language === 'en') && sectionId) found.set(`${sectionId}/${language}`, { sectionId, language });
    }
    return [...found.values()];
  }

  /** Where one language of a section stands against the section's source. */
  translationState(sectionId: string, language: ProposalLanguage): TranslationState {
    const section = this.#map(sectionId);
    const source = this.#view(sectionId, section).sourceLanguage;
    if (language === source) return { kind: 'source' };
    const sourceFragment = this.text(sectionId, source);
    const sourceText = sourceFragment ? plainText(sourceFragment) : '';
    const aligned = section.get('aligned');
    const parsed = aligned instanceof Y.Map ? Alignment.safeParse(aligned.get(language)) : null;
    const alignment = parsed?.success ? parsed.data : null;
    if (alignment) return alignment.sourceText === sourceText ? { kind: 'in_line', alignment } : { kind: 'out_of_date', alignment };
    const translation = this.text(sectionId, other(source));
    if (sourceText.trim() === '' && (!translation || plainText(translation).trim() === '')) return { kind: 'empty' };
    return { kind: 'out_of_date', alignment: null };
  }

  /**
   * What changed in the section's source since `language` was last brought in line with it, word by
   * word; null when it never was (the whole source is then new to it).
   */
  sourceChangesSince(sectionId: string, language: ProposalLanguage): TextChange[] | null {
    const state = this.translationState(sectionId, language);
    if (state.kind !== 'in_line' && state.kind !== 'out_of_date') return null;
    if (!state.alignment) return null;
    const source = this.text(sectionId, this.#view(sectionId, this.#map(sectionId)).sourceLanguage);
    return compareTexts(state.alignment.sourceText, source ? plainText(source) : '');
  }

  /** Sections done, over their limit (in either language), overdue on `today` (YYYY-MM-DD) and with an out-of-date translation. */
  progress(today: string): ProposalProgress {
    const progress: ProposalProgress = { sections: 0, done: 0, overLimit: 0, overdue: 0, outOfDate: 0 };
    for (const section of this.list()) {
      progress.sections++;
      if (section.status === 'done') progress.done++;
      else if (section.dueDate !== null && section.dueDate < today) progress.overdue++;
      if (section.charLimit !== null && PROPOSAL_LANGUAGES.some((language) => this.characterCount(section.id, language) > section.charLimit!)) progress.overLimit++;
      if (this.translationState(section.id, other(section.sourceLanguage)).kind === 'out_of_date') progress.outOfDate++;
    }
    return progress;
  }

  #map(sectionId: string): Y.Map<unknown> {
    const section = this.sections.get(sectionId);
    if (!(section instanceof Y.Map)) throw new Error(`no section ${sectionId}`);
    return section;
  }

  #set(sectionId: string, key: string, value: unknown): void {
    const section = this.#map(sectionId);
    this.doc.transact(() => section.set(key, value));
  }

  #view(id: string, section: Y.Map<unknown>): SectionView {
    const bilingual = (value: unknown): Bilingual => {
      const parsed = Bilingual.safeParse(value);
      return parsed.success ? parsed.data : { fr: '', en: '' };
    };
    const order = section.get('order');
    const charLimit = section.get('charLimit');
    const owner = SectionOwner.safeParse(section.get('owner'));
    const status = SectionStatus.safeParse(section.get('status'));
    const dueDate = IsoDate.safeParse(section.get('dueDate'));
    const source = Locale.safeParse(section.get('sourceLanguage'));
    return {
      id,
      order: typeof order === 'number' && Number.isFinite(order) ? order : Number.MAX_SAFE_INTEGER,
      title: bilingual(section.get('title')),
      guidance: bilingual(section.get('guidance')),
      charLimit: typeof charLimit === 'number' && Number.isInteger(charLimit) && charLimit > 0 ? charLimit : null,
      owner: owner.success ? owner.data : null,
      status: status.success ? status.data : 'to_write',
      dueDate: dueDate.success ? dueDate.data : null,
      sourceLanguage: source.success ? source.data : 'fr',
    };
  }
}

/** The proposal documents' kind: both (shared and internal) have one layout and one migration list. */
export const proposalDocument = defineDocumentKind<ProposalDoc>({
  name: 'proposal',
  schemaVersion: PROPOSAL_SCHEMA_VERSION,
  open: (doc) => new ProposalDoc(doc),
  migrations: [firstLayout()],
  tooNew: (version) => new DocumentTooNewError('proposal', version, PROPOSAL_SCHEMA_VERSION),
});

/** Brings a proposal document to the current version (idempotent). Throws `DocumentTooNewError`. */
export function migrateProposal(doc: Y.Doc, origin?: unknown): MigrationResult {
  return runMigrations(doc, proposalDocument, { origin });
}
