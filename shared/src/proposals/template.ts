/**
 * Proposal templates: the structure a funding programme (or the school itself) gives a proposal
 * document. A template is an ordered list of sections; each section has a title and guidance in
 * French and English, a default owner department, a character limit counted as the programme counts
 * (characters including spaces), and is either shared (co-written with the partners) or internal
 * (budget justification, internal assessment: never shown to partner guests).
 *
 * Drafted text is a list of blocks (paragraphs, bullet lists, headings) per language, so that the
 * editor can turn it into rich text and the limit can be checked on the same count the agency uses.
 */
import '../no-eval.js';
import { z } from 'zod';
import { Locale } from '../api.js';
import { ActionType, Department } from '../domain/vocabulary.js';

/** The same text in French and in English; both are required. */
export const LocalizedText = z.object({
  fr: z.string().trim().min(1, 'the French text is empty'),
  en: z.string().trim().min(1, 'the English text is empty'),
});
export type LocalizedText = z.infer<typeof LocalizedText>;

/**
 * Where a template comes from: the Erasmus+ programme 2021-2027, or an agreement the school signs
 * directly with a partner outside any funding programme (a double degree, for example).
 */
export const ProposalProgramme = z.enum(['erasmus_plus_2021_2027', 'bilateral_agreement']);
export type ProposalProgramme = z.infer<typeof ProposalProgramme>;

/** A stable identifier in lower-case kebab case (`relevance`, `budget-justification`). */
export const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters and digits separated by single hyphens (for example "work-plan")')
  .max(60);

export const TemplateSection = z.object({
  id: Slug,
  title: LocalizedText,
  /** What the agency's evaluators look for, written for the school's services (shown collapsible). */
  guidance: LocalizedText,
  /** Characters including spaces, as the programme counts them; null when the programme sets none. */
  charLimit: z.number().int().positive().nullable(),
  /** Internal sections (budget justification, internal assessment) are never shown to partner guests. */
  internal: z.boolean(),
  /** The department that writes the section unless the proposal assigns it to another. */
  defaultOwner: Department,
  /** The language the section is drafted in first, then translated. */
  sourceLanguage: Locale.default('fr'),
});
export type TemplateSection = z.infer<typeof TemplateSection>;
export type TemplateSectionInput = z.input<typeof TemplateSection>;

export const ProposalTemplate = z.object({
  id: Slug,
  programme: ProposalProgramme,
  /** The programme's code for the action (`KA220-HED`); null when it has none. */
  actionCode: z.string().trim().min(1).max(60).nullable(),
  /** The current name. */
  name: LocalizedText,
  /** Former and other names (labels and search): "partenariat stratégique" for a cooperation partnership. */
  aliases: z.array(LocalizedText).default([]),
  /** The kind of proposal the template serves; null for the school's own documents, which serve them all. */
  actionType: ActionType.nullable(),
  /** Departments that must own at least one section (an alliance for innovation involves the company-relations service). */
  requiredOwners: z.array(Department).default([]),
  sections: z.array(TemplateSection).min(1, 'a template needs at least one section'),
});
export type ProposalTemplate = z.infer<typeof ProposalTemplate>;
export type ProposalTemplateInput = z.input<typeof ProposalTemplate>;

/** One problem in a template, with where it is (`sections[2].id`) and what is wrong. */
export interface TemplateProblem {
  path: string;
  message: string;
}

export type TemplateCheck =
  | { ok: true; template: ProposalTemplate; problems: [] }
  | { ok: false; template: null; problems: TemplateProblem[] };

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

/** The rules zod cannot express on one field: unique section ids, required owners, a shared section. */
function templateRules(template: ProposalTemplate): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const firstIndex = new Map<string, number>();
  template.sections.forEach((section, index) => {
    const earlier = firstIndex.get(section.id);
    if (earlier === undefined) firstIndex.set(section.id, index);
    else problems.push({ path: `sections[${index}].id`, message: `section id "${section.id}" is already used by sections[${earlier}]` });
  });
  for (const department of new Set(template.requiredOwners)) {
    if (!template.sections.some((section) => section.defaultOwner === department)) {
      problems.push({ path: 'requiredOwners', message: `the department "${department}" must own at least one section, and owns none` });
    }
  }
  if (!template.sections.some((section) => !section.internal)) {
    problems.push({ path: 'sections', message: 'every section is internal: a template needs at least one section shared with the partners' });
  }
  return problems;
}

/** Validates a template: its shape, then the rules across sections. Every problem says where and what. */
export function checkTemplate(input: unknown): TemplateCheck {
  const parsed = ProposalTemplate.safeParse(input);
  if (!parsed.success) {
    return { ok: false, template: null, problems: parsed.error.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message })) };
  }
  const problems = templateRules(parsed.data);
  return problems.length === 0 ? { ok: true, template: parsed.data, problems: [] } : { ok: false, template: null, problems };
}

/** A template that fails its check; the message lists every problem, one a line. */
export class TemplateError extends Error {
  constructor(
    readonly templateId: string,
    readonly problems: TemplateProblem[],
  ) {
    super(`Invalid proposal template "${templateId}":\n${problems.map((p) => `- ${p.path || '(template)'}: ${p.message}`).join('\n')}`);
    this.name = 'TemplateError';
  }
}

/** Parses a template or throws a `TemplateError` listing every problem. */
export function parseTemplate(input: unknown): ProposalTemplate {
  const check = checkTemplate(input);
  if (check.ok) return check.template;
  const id = typeof input === 'object' && input !== null && typeof (input as { id?: unknown }).id === 'string' ? (input as { id: string }).id : '?';
  throw new TemplateError(id, check.problems);
}

/** Checks a set of templates: each one, then that their ids are unique. */
export function checkTemplates(inputs: readonly unknown[]): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, index) => {
    const check = checkTemplate(input);
    for (const problem of check.problems) problems.push({ path: `[${index}]${problem.path ? `.${problem.path}` : ''}`, message: problem.message });
    if (!check.ok) return;
    const earlier = seen.get(check.template.id);
    if (earlier === undefined) seen.set(check.template.id, index);
    else problems.push({ path: `[${index}].id`, message: `template id "${check.template.id}" is already used by [${earlier}]` });
  });
  return problems;
}

// ----- Drafted text -----

/** A block of drafted text, which the editor turns into rich text. */
export const DraftBlock = z.discriminatedUnion('type', [
  z.object({ type: z.literal('heading'), text: z.string().trim().min(1) }),
  z.object({ type: z.literal('paragraph'), text: z.string().trim().min(1) }),
  z.object({ type: z.literal('bullets'), items: z.array(z.string().trim().min(1)).min(1) }),
]);
export type DraftBlock = z.infer<typeof DraftBlock>;

/** A section's draft in both languages. */
export const SectionDraft = z.object({
  fr: z.array(DraftBlock).min(1),
  en: z.array(DraftBlock).min(1),
});
export type SectionDraft = z.infer<typeof SectionDraft>;

/** Drafted sections of one template, by section id. */
export const ProposalDraft = z.object({
  templateId: Slug,
  sections: z.record(z.string(), SectionDraft),
});
export type ProposalDraft = z.infer<typeof ProposalDraft>;

/** Characters including spaces, counted per character (not per UTF-16 unit), as the agency's forms count. */
export function countCharacters(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** The length of a draft as the programme counts it: the characters, spaces included, of every block's text. */
export function draftLength(blocks: readonly DraftBlock[]): number {
  return blocks.reduce((total, block) => total + (block.type === 'bullets' ? block.items.reduce((sum, item) => sum + countCharacters(item), 0) : countCharacters(block.text)), 0);
}

/** Checks a draft against its template: known section ids, both languages within the section's limit. */
export function checkDraft(template: ProposalTemplate, draft: ProposalDraft): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  if (draft.templateId !== template.id) {
    problems.push({ path: 'templateId', message: `the draft is for template "${draft.templateId}", not "${template.id}"` });
  }
  for (const [sectionId, sectionDraft] of Object.entries(draft.sections)) {
    const section = template.sections.find((candidate) => candidate.id === sectionId);
    if (!section) {
      problems.push({ path: `sections.${sectionId}`, message: `template "${template.id}" has no section "${sectionId}"` });
      continue;
    }
    if (section.charLimit === null) continue;
    for (const locale of Locale.options) {
      const length = draftLength(sectionDraft[locale]);
      if (length > section.charLimit) {
        problems.push({ path: `sections.${sectionId}.${locale}`, message: `${length} characters, over the limit of ${section.charLimit}` });
      }
    }
  }
  return problems;
}

// ----- Finding templates -----

/** Lower case without accents, so that "strategique" finds "stratégique". */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** Whether a template's code, current name or a former name (either language) contains the query. */
export function templateMatches(template: ProposalTemplate, query: string): boolean {
  const wanted = fold(query.trim());
  if (!wanted) return true;
  const names = [template.name, ...template.aliases].flatMap((name) => [name.fr, name.en]);
  return [template.actionCode ?? '', ...names].some((candidate) => fold(candidate).includes(wanted));
}
