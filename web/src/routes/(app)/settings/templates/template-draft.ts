/** A workspace template as its edit form holds it, and the request the form sends. */
import type { ActionType, Department, Locale, ProposalTemplate, UpdateTemplateRequest } from '@passerelle/shared';

/** One section in the form; `key` keeps each one's fields in place while sections move. */
export interface SectionDraft {
  key: number;
  /** Null for a section added in the form: the server names it from its English title. */
  id: string | null;
  title: { fr: string; en: string };
  guidance: { fr: string; en: string };
  /** As typed: empty for no limit. */
  charLimit: string;
  internal: boolean;
  defaultOwner: Department;
  sourceLanguage: Locale;
}

export interface TemplateDraft {
  name: { fr: string; en: string };
  /** '' for a template that serves every kind of proposal. */
  actionType: ActionType | '';
  sections: SectionDraft[];
}

let nextKey = 1;

/** A fresh section, written by the SRI in French first, with no limit. */
export function newSection(): SectionDraft {
  return { key: nextKey++, id: null, title: { fr: '', en: '' }, guidance: { fr: '', en: '' }, charLimit: '', internal: false, defaultOwner: 'sri', sourceLanguage: 'fr' };
}

/** The form's copy of a template. */
export function draftOf(template: ProposalTemplate): TemplateDraft {
  return {
    name: { ...template.name },
    actionType: template.actionType ?? '',
    sections: template.sections.map((section) => ({
      key: nextKey++,
      id: section.id,
      title: { ...section.title },
      guidance: { ...section.guidance },
      charLimit: section.charLimit === null ? '' : String(section.charLimit),
      internal: section.internal,
      defaultOwner: section.defaultOwner,
      sourceLanguage: section.sourceLanguage,
    })),
  };
}

/** A limit as typed: empty is none; what is not a number is sent as typed, for the server to refuse in the person's language. */
function limitOf(typed: string): number | null {
  const compact = typed.replace(/[\s\u202f\u00a0]/g, '');
  if (compact === '') return null;
  const value = Number(compact);
  return Number.isFinite(value) ? value : (typed as unknown as number);
}

/** What the form sends: a limit typed as text becomes a number (or null when empty; the server refuses one that is not whole). */
export function requestOf(draft: TemplateDraft): UpdateTemplateRequest {
  return {
    name: draft.name,
    actionType: draft.actionType || null,
    sections: draft.sections.map((section) => ({
      ...(section.id ? { id: section.id } : {}),
      title: section.title,
      guidance: section.guidance,
      charLimit: limitOf(section.charLimit),
      internal: section.internal,
      defaultOwner: section.defaultOwner,
      sourceLanguage: section.sourceLanguage,
    })),
  };
}

/** Moves the item at `from` to `to` (a copy of the list). */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}
