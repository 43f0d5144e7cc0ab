/**
 * The workspace's own proposal templates: copies of a shipped template that an administrator edits
 * (names, the action type served, sections with their titles, guidance, limits, internal flag and
 * owner department). They live in the workspace document's `templates` map, one plain JSON value a
 * template, written only by the server on an administrator's behalf and validated again on every
 * read, so that the embedded and Redis backends keep them like any other workspace data.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { Locale } from '../api.js';
import { ActionType, Department } from '../domain/vocabulary.js';
import type { MessageKey } from '../i18n/index.js';
import { checkTemplate, Slug, type ProposalTemplate } from './template.js';
import { findTemplate, PROPOSAL_TEMPLATES, templateForActionType } from './templates.js';

/** A template of the workspace as stored: the template, the shipped one it was copied from, and when it last changed. */
export const StoredTemplate = z.object({
  template: z.unknown(),
  basedOn: Slug.nullable(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable().default(null),
});
export type StoredTemplate = z.infer<typeof StoredTemplate>;

/** A template as the API lists and returns it: shipped ones are read-only. */
export interface TemplateEntry {
  template: ProposalTemplate;
  /** True for the templates Passerelle ships, which nobody edits; false for the workspace's copies. */
  builtIn: boolean;
  /** The shipped template a workspace template was copied from; null for a shipped one. */
  basedOn: string | null;
  /** When a workspace template last changed; null for a shipped one. */
  updatedAt: string | null;
}

/** `GET /api/templates`. */
export interface TemplateListResponse {
  templates: TemplateEntry[];
}

/** Template texts are short: a title, a paragraph of guidance. */
const title = z.string().trim().min(1, 'templates.error.titleEmpty').max(200, 'templates.error.titleTooLong');
const guidance = z.string().trim().min(1, 'templates.error.guidanceEmpty').max(4000, 'templates.error.guidanceTooLong');

/** One section as an administrator edits it; a new section has no id yet (the server makes one from its English title). */
export const TemplateSectionEdit = z.object({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'templates.error.sectionId').max(60, 'templates.error.sectionId').optional(),
  title: z.object({ fr: title, en: title }),
  guidance: z.object({ fr: guidance, en: guidance }),
  charLimit: z.number({ message: 'templates.error.charLimit' }).int('templates.error.charLimit').min(1, 'templates.error.charLimit').max(1_000_000, 'templates.error.charLimit').nullable(),
  internal: z.boolean(),
  defaultOwner: Department,
  sourceLanguage: Locale.default('fr'),
});
export type TemplateSectionEdit = z.input<typeof TemplateSectionEdit>;

/** `PUT /api/templates/:templateId`: the whole editable part of a workspace template. */
export const UpdateTemplateRequest = z.object({
  name: z.object({ fr: title, en: title }),
  actionType: ActionType.nullable(),
  sections: z.array(TemplateSectionEdit).min(1, 'templates.error.noSection').max(40, 'templates.error.tooManySections'),
});
export type UpdateTemplateRequest = z.input<typeof UpdateTemplateRequest>;

/** `POST /api/templates/:templateId/copy`: the copy's name (default: the original's, marked as a copy). */
export const CopyTemplateRequest = z.object({
  name: z.object({ fr: title, en: title }).optional(),
});
export type CopyTemplateRequest = z.input<typeof CopyTemplateRequest>;

/** A problem in an administrator's edit: where it is and the message that says what to change. */
export interface TemplateEditProblem {
  path: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** The template an edit makes, or every problem that refused it. */
export type TemplateEditCheck = { ok: true; template: ProposalTemplate } | { ok: false; problems: TemplateEditProblem[] };

/** A section id made from a title: lower-case ASCII words joined by hyphens, never one of `taken`. */
export function sectionIdFor(title: string, taken: ReadonlySet<string>): string {
  const base =
    title
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50)
      .replace(/-+$/, '') || 'section';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/**
 * Applies an administrator's edit to a workspace template and checks the result: each field, then
 * the rules across sections (unique ids, the departments the programme requires, a shared section).
 * Every problem comes with a message key, so that the person reads it in their language.
 */
export function applyTemplateEdit(current: ProposalTemplate, input: unknown): TemplateEditCheck {
  const parsed = UpdateTemplateRequest.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        key: (issue.message.startsWith('templates.error.') ? issue.message : 'templates.error.invalidField') as MessageKey,
      })),
    };
  }
  const edit = parsed.data;
  const problems: TemplateEditProblem[] = [];
  const given = new Set(edit.sections.flatMap((section) => (section.id ? [section.id] : [])));
  const seen = new Set<string>();
  const sections = edit.sections.map((section, index) => {
    const id = section.id ?? sectionIdFor(section.title.en, new Set([...given, ...seen]));
    if (seen.has(id)) problems.push({ path: `sections.${index}.id`, key: 'templates.error.duplicateSection', params: { id } });
    seen.add(id);
    return { ...section, id };
  });
  for (const department of new Set(current.requiredOwners)) {
    if (!sections.some((section) => section.defaultOwner === department)) problems.push({ path: 'sections', key: 'templates.error.requiredOwner', params: { department } });
  }
  if (!sections.some((section) => !section.internal)) problems.push({ path: 'sections', key: 'templates.error.noSharedSection' });
  if (problems.length > 0) return { ok: false, problems };
  const check = checkTemplate({ ...current, name: edit.name, actionType: edit.actionType, sections });
  if (!check.ok) return { ok: false, problems: check.problems.map((problem) => ({ path: problem.path, key: 'templates.error.invalidField' })) };
  return { ok: true, template: check.template };
}

/** The id of a copy: the original's, then `-copy`, then a number when that is taken (never a shipped template's id). */
export function copyIdFor(originalId: string, taken: (id: string) => boolean): string {
  const base = `${originalId.replace(/-copy(?:-\d+)?$/, '').slice(0, 50)}-copy`;
  let id = base;
  for (let n = 2; taken(id) || findTemplate(id); n++) id = `${base}-${n}`;
  return id;
}

/** Typed access to the workspace document's templates (`templates: Y.Map<templateId, StoredTemplate>`). */
export class WorkspaceTemplates {
  readonly map: Y.Map<unknown>;

  constructor(doc: Y.Doc) {
    this.map = doc.getMap('templates');
  }

  /** A workspace template; undefined when there is none, or what is stored fails its check. */
  get(id: string): TemplateEntry | undefined {
    const stored = StoredTemplate.safeParse(this.map.get(id));
    if (!stored.success) return undefined;
    const check = checkTemplate(stored.data.template);
    if (!check.ok || check.template.id !== id || findTemplate(id)) return undefined;
    return { template: check.template, builtIn: false, basedOn: stored.data.basedOn, updatedAt: stored.data.updatedAt };
  }

  /** The workspace's templates that pass their check, by name. */
  list(): TemplateEntry[] {
    const entries: TemplateEntry[] = [];
    for (const id of this.map.keys()) {
      const entry = this.get(id);
      if (entry) entries.push(entry);
    }
    return entries.sort((a, b) => a.template.name.en.localeCompare(b.template.name.en) || a.template.id.localeCompare(b.template.id));
  }

  /** Whether an id is taken by a workspace template, valid or not. */
  has(id: string): boolean {
    return this.map.has(id);
  }

  /** Stores a template (already checked) as the workspace's, replacing the one with its id. */
  put(template: ProposalTemplate, basedOn: string | null, updatedBy: string | null, now = new Date()): TemplateEntry {
    const stored: StoredTemplate = { template, basedOn, updatedAt: now.toISOString(), updatedBy };
    this.map.set(template.id, stored);
    return { template, builtIn: false, basedOn, updatedAt: stored.updatedAt };
  }

  /** Removes a workspace template; false when there was none. */
  delete(id: string): boolean {
    if (!this.map.has(id)) return false;
    this.map.delete(id);
    return true;
  }
}

/** A shipped template as an entry of the list. */
export function builtInEntry(template: ProposalTemplate): TemplateEntry {
  return { template, builtIn: true, basedOn: null, updatedAt: null };
}

/** Every template a proposal may use: the shipped ones (always, first), then the workspace's. */
export function allTemplates(workspace: WorkspaceTemplates): TemplateEntry[] {
  return [...PROPOSAL_TEMPLATES.map(builtInEntry), ...workspace.list()];
}

/** A template by id, shipped or the workspace's; undefined when neither has it. */
export function templateById(workspace: WorkspaceTemplates, id: string): TemplateEntry | undefined {
  const builtIn = findTemplate(id);
  return builtIn ? builtInEntry(builtIn) : workspace.get(id);
}

/**
 * The template a proposal card's documents are created from: the one the card names when it still
 * exists, else the shipped one of its action type; undefined when neither exists.
 */
export function templateForCard(workspace: WorkspaceTemplates, card: { actionType: ActionType; templateId: string | null }): ProposalTemplate | undefined {
  const named = card.templateId ? templateById(workspace, card.templateId) : undefined;
  return named?.template ?? templateForActionType(card.actionType);
}

/** The templates offered for an action type: its own first (shipped, then the workspace's), then those that serve every type. */
export function templatesForActionType(entries: readonly TemplateEntry[], actionType: ActionType): TemplateEntry[] {
  return [...entries.filter((entry) => entry.template.actionType === actionType), ...entries.filter((entry) => entry.template.actionType === null)];
}
