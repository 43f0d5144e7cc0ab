/**
 * An administrator's edit of a workspace template (`applyTemplateEdit`), and the workspace's
 * templates in its document (`WorkspaceTemplates`): what is accepted, every problem refused with a
 * message in both languages, new sections' ids, copies' ids, and what a card's template resolves to.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  PROPOSAL_TEMPLATES,
  WorkspaceTemplates,
  allTemplates,
  applyTemplateEdit,
  checkTemplate,
  copyIdFor,
  findTemplate,
  sectionIdFor,
  templateForCard,
  templatesForActionType,
  translate,
  type TemplateSectionEdit,
} from '@passerelle/shared';

const partnership = findTemplate('cooperation-partnership-hed')!;
const alliance = findTemplate('alliance-for-innovation')!;

function section(id: string | undefined, title: string, more: Partial<TemplateSectionEdit> = {}): TemplateSectionEdit {
  return { ...(id ? { id } : {}), title: { fr: title, en: title }, guidance: { fr: 'Conseils', en: 'Guidance' }, charLimit: 1000, internal: false, defaultOwner: 'sri', ...more };
}

describe('applyTemplateEdit', () => {
  it('accepts a valid edit and returns a template that passes checkTemplate, with the id and programme it had', () => {
    const result = applyTemplateEdit({ ...partnership, id: 'mine' }, { name: { fr: 'Le mien', en: 'Mine' }, actionType: null, sections: [section('a', 'A'), section('b', 'B', { internal: true, charLimit: null })] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.template).toMatchObject({ id: 'mine', programme: partnership.programme, actionCode: partnership.actionCode, name: { fr: 'Le mien', en: 'Mine' }, actionType: null });
    expect(result.template.sections.map((s) => [s.id, s.internal, s.charLimit, s.sourceLanguage])).toEqual([
      ['a', false, 1000, 'fr'],
      ['b', true, null, 'fr'],
    ]);
    expect(checkTemplate(result.template).ok).toBe(true);
  });

  it('gives a new section an id made from its English title, never one already used', () => {
    const result = applyTemplateEdit(partnership, { name: partnership.name, actionType: 'strategic_partnership', sections: [section('work-plan', 'Work plan'), section(undefined, 'Work plan'), section(undefined, 'Évaluation & suivi')] });
    expect(result.ok && result.template.sections.map((s) => s.id)).toEqual(['work-plan', 'work-plan-2', 'evaluation-suivi']);
    expect(sectionIdFor('  ', new Set())).toBe('section');
  });

  it('names every problem of a field with a message key that exists in both languages', () => {
    const result = applyTemplateEdit(partnership, {
      name: { fr: '', en: 'x'.repeat(201) },
      actionType: 'unknown',
      sections: [section('Bad Id', 'A', { charLimit: 1.5, guidance: { fr: '', en: 'ok' } })],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.path, p.key])).toEqual([
      ['name.fr', 'templates.error.titleEmpty'],
      ['name.en', 'templates.error.titleTooLong'],
      ['actionType', 'templates.error.invalidField'],
      ['sections.0.id', 'templates.error.sectionId'],
      ['sections.0.guidance.fr', 'templates.error.guidanceEmpty'],
      ['sections.0.charLimit', 'templates.error.charLimit'],
    ]);
    for (const problem of result.problems) {
      for (const locale of ['fr', 'en'] as const) expect(translate(locale, problem.key)).not.toBe(problem.key);
    }
  });

  it('refuses duplicate section ids, an all-internal template, and one without the department its programme requires', () => {
    const rules = applyTemplateEdit(partnership, { name: partnership.name, actionType: null, sections: [section('a', 'A', { internal: true }), section('a', 'B', { internal: true })] });
    expect(!rules.ok && rules.problems).toEqual([
      { path: 'sections.1.id', key: 'templates.error.duplicateSection', params: { id: 'a' } },
      { path: 'sections', key: 'templates.error.noSharedSection' },
    ]);
    const owners = applyTemplateEdit(alliance, { name: alliance.name, actionType: alliance.actionType, sections: [section('a', 'A')] });
    expect(!owners.ok && owners.problems).toEqual([{ path: 'sections', key: 'templates.error.requiredOwner', params: { department: 'company_relations' } }]);
    expect(applyTemplateEdit(partnership, { name: partnership.name, actionType: null, sections: [] })).toEqual({ ok: false, problems: [{ path: 'sections', key: 'templates.error.noSection' }] });
    expect(applyTemplateEdit(partnership, null).ok).toBe(false);
  });
});

describe('WorkspaceTemplates', () => {
  it('stores a copy, lists it after the shipped templates, and resolves a card naming it', () => {
    const templates = new WorkspaceTemplates(new Y.Doc());
    const id = copyIdFor(partnership.id, (candidate) => templates.has(candidate));
    expect(id).toBe('cooperation-partnership-hed-copy');
    templates.put({ ...partnership, id, actionType: 'capacity_building' }, partnership.id, 'u1', new Date('2026-12-01T10:00:00Z'));
    expect(copyIdFor(partnership.id, (candidate) => templates.has(candidate))).toBe('cooperation-partnership-hed-copy-2');
    expect(copyIdFor(id, (candidate) => templates.has(candidate))).toBe('cooperation-partnership-hed-copy-2');

    const all = allTemplates(templates);
    expect(all.map((entry) => entry.template.id)).toEqual([...PROPOSAL_TEMPLATES.map((template) => template.id), id]);
    expect(all.at(-1)).toMatchObject({ builtIn: false, basedOn: partnership.id, updatedAt: '2026-12-01T10:00:00.000Z' });
    expect(templatesForActionType(all, 'capacity_building').map((entry) => entry.template.id)).toEqual([
      ...PROPOSAL_TEMPLATES.filter((template) => template.actionType === 'capacity_building').map((template) => template.id),
      id,
      ...PROPOSAL_TEMPLATES.filter((template) => template.actionType === null).map((template) => template.id),
    ]);

    expect(templateForCard(templates, { actionType: 'strategic_partnership', templateId: id })?.id).toBe(id);
    expect(templateForCard(templates, { actionType: 'strategic_partnership', templateId: null })?.id).toBe(partnership.id);
    expect(templateForCard(templates, { actionType: 'strategic_partnership', templateId: 'deleted' })?.id).toBe(partnership.id);
    expect(templateForCard(templates, { actionType: 'mobility_agreement', templateId: null })).toBeUndefined();
  });

  it('ignores what is stored and fails its check, or claims a shipped template’s id', () => {
    const templates = new WorkspaceTemplates(new Y.Doc());
    templates.map.set('broken', { template: { ...partnership, id: 'broken', sections: [] }, basedOn: null, updatedAt: 'x' });
    templates.map.set('not-stored-right', 'a string');
    templates.map.set(partnership.id, { template: { ...partnership, name: { fr: 'Faux', en: 'Forged' } }, basedOn: null, updatedAt: 'x' });
    templates.map.set('other-id', { template: { ...partnership, id: 'mismatch' }, basedOn: null, updatedAt: 'x' });
    expect(templates.list()).toEqual([]);
    expect(allTemplates(templates).find((entry) => entry.template.id === partnership.id)?.template.name.en).toBe(partnership.name.en);
    expect(templates.delete('broken')).toBe(true);
    expect(templates.delete('broken')).toBe(false);
  });
});
