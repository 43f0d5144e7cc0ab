/**
 * The shipped proposal templates: each one valid, bilingual and with the internal sections the
 * programme's own reasoning needs; the validation's rules (unique ids, required owners) and its
 * messages; the demo's drafted sections fitting their template in both languages.
 */
import { describe, expect, it } from 'vitest';
import {
  checkDraft,
  checkTemplate,
  checkTemplates,
  countCharacters,
  draftLength,
  findTemplate,
  parseTemplate,
  PROPOSAL_TEMPLATES,
  TemplateError,
  templateForActionType,
  templateMatches,
  ProposalDraft,
  type DraftBlock,
  type ProposalTemplate,
  type ProposalTemplateInput,
} from '../../shared/src/proposals/index.js';
import { draftFor, PROPOSAL_DRAFTS } from '../../server/src/demo/proposal-drafts.js';

function template(id: string): ProposalTemplate {
  const found = findTemplate(id);
  if (!found) throw new Error(`no shipped template "${id}"`);
  return found;
}

/** A small valid template to break in each test. */
function sample(overrides: Partial<ProposalTemplateInput> = {}): ProposalTemplateInput {
  return {
    id: 'sample',
    programme: 'erasmus_plus_2021_2027',
    actionCode: 'KA220-HED',
    name: { fr: 'Exemple', en: 'Sample' },
    actionType: 'strategic_partnership',
    sections: [
      { id: 'relevance', title: { fr: 'Pertinence', en: 'Relevance' }, guidance: { fr: 'Pourquoi.', en: 'Why.' }, charLimit: 5000, internal: false, defaultOwner: 'sri' },
      { id: 'impact', title: { fr: 'Impact', en: 'Impact' }, guidance: { fr: 'Quoi.', en: 'What.' }, charLimit: 5000, internal: false, defaultOwner: 'studies' },
    ],
    ...overrides,
  };
}

const internalIds = (t: ProposalTemplate) => t.sections.filter((section) => section.internal).map((section) => section.id);

describe('shipped templates', () => {
  it('all validate, with unique template ids', () => {
    expect(PROPOSAL_TEMPLATES.length).toBeGreaterThan(0);
    for (const shipped of PROPOSAL_TEMPLATES) expect(checkTemplate(shipped).problems, shipped.id).toEqual([]);
    expect(checkTemplates(PROPOSAL_TEMPLATES)).toEqual([]);
  });

  it('have unique section ids', () => {
    for (const shipped of PROPOSAL_TEMPLATES) {
      const ids = shipped.sections.map((section) => section.id);
      expect(new Set(ids).size, shipped.id).toBe(ids.length);
    }
  });

  it('say everything in French and in English', () => {
    for (const shipped of PROPOSAL_TEMPLATES) {
      const texts = [shipped.name, ...shipped.aliases, ...shipped.sections.flatMap((section) => [section.title, section.guidance])];
      for (const text of texts) {
        expect(text.fr.trim(), `${shipped.id}: ${text.en}`).not.toBe('');
        expect(text.en.trim(), `${shipped.id}: ${text.fr}`).not.toBe('');
      }
    }
  });

  it('write French with typographic apostrophes', () => {
    for (const shipped of PROPOSAL_TEMPLATES) {
      const french = [shipped.name, ...shipped.aliases, ...shipped.sections.flatMap((section) => [section.title, section.guidance])].map((text) => text.fr);
      for (const text of french) expect(text, shipped.id).not.toContain("'");
    }
  });

  /** Each template's sections in order, which are internal, and the limit of the shared ones. */
  const layouts: { id: string; shared: string[]; internal: string[]; limit: number | null }[] = [
    {
      id: 'cooperation-partnership-hed',
      shared: ['context', 'participating-organisations', 'relevance', 'partnership-cooperation', 'project-design', 'impact', 'summary'],
      internal: ['budget-justification', 'internal-assessment'],
      limit: 5000,
    },
    {
      id: 'alliance-for-innovation',
      shared: ['relevance', 'design-implementation', 'partnership', 'impact', 'work-plan'],
      internal: ['budget-justification', 'internal-assessment'],
      limit: null,
    },
    {
      id: 'capacity-building-hed',
      shared: ['relevance', 'design-implementation', 'partnership', 'sustainability', 'work-plan'],
      internal: ['budget-justification', 'internal-assessment'],
      limit: null,
    },
    {
      id: 'double-degree-agreement',
      shared: ['programme-structure', 'admission-selection', 'recognition', 'fees', 'diploma', 'language', 'governance'],
      internal: ['internal-assessment'],
      limit: null,
    },
    { id: 'erasmus-policy-statement', shared: ['international-strategy', 'cooperation-projects', 'modernisation-impact'], internal: [], limit: 5000 },
  ];

  it.each(layouts)('$id: sections in order, only $internal internal, shared ones limited to $limit', ({ id, shared, internal, limit }) => {
    const t = template(id);
    expect(t.sections.map((section) => section.id)).toEqual([...shared, ...internal]);
    expect(internalIds(t)).toEqual(internal);
    // The programme's form limits what is submitted; the school's internal sections have no limit.
    for (const section of t.sections) expect(section.charLimit, section.id).toBe(section.internal ? null : limit);
  });

  it.each([
    { id: 'cooperation-partnership-hed', actionType: 'strategic_partnership', queries: ['partenariat strategique', 'Strategic partnership', 'ka220'] },
    { id: 'alliance-for-innovation', actionType: 'knowledge_alliance', queries: ['alliance de la connaissance', 'knowledge alliance'] },
    { id: 'capacity-building-hed', actionType: 'capacity_building', queries: ['capacity building', 'renforcement des capacites'] },
    { id: 'double-degree-agreement', actionType: 'double_degree', queries: ['double diplôme', 'double degree'] },
    { id: 'erasmus-policy-statement', actionType: null, queries: ['ECHE', 'politique Erasmus'] },
  ])('$id serves $actionType and is found by its current and former names', ({ id, actionType, queries }) => {
    const t = template(id);
    expect(t.actionType).toBe(actionType);
    for (const query of queries) expect(templateMatches(t, query), query).toBe(true);
    expect(templateMatches(t, 'mobilité de stage')).toBe(false);
  });

  it('give the alliance for innovation a section the company-relations service owns, and refuse it without one', () => {
    const alliance = template('alliance-for-innovation');
    expect(alliance.requiredOwners).toEqual(['company_relations']);
    expect(alliance.sections.filter((section) => section.defaultOwner === 'company_relations').map((section) => section.id)).toEqual(['partnership']);
    const withoutCompanies = { ...alliance, sections: alliance.sections.map((section) => ({ ...section, defaultOwner: section.defaultOwner === 'company_relations' ? 'sri' : section.defaultOwner })) };
    expect(checkTemplate(withoutCompanies).problems).toEqual([
      { path: 'requiredOwners', message: 'the department "company_relations" must own at least one section, and owns none' },
    ]);
  });

  it('ship the double-degree agreement outside any programme, its guidance citing the CTI rule', () => {
    const dd = template('double-degree-agreement');
    expect(dd.programme).toBe('bilateral_agreement');
    expect(dd.actionCode).toBeNull();
    const structure = dd.sections[0];
    expect(structure.guidance.fr).toMatch(/CTI\).*3 semestres en France/);
    expect(structure.guidance.en).toMatch(/CTI\).*3 semesters in France/);
    expect(dd.sections.find((section) => section.id === 'admission-selection')?.defaultOwner).toBe('admissions');
  });

  it('ship the Erasmus policy statement with the headings of the school’s own', () => {
    expect(template('erasmus-policy-statement').sections.map((section) => section.title.fr)).toEqual([
      'Notre stratégie internationale',
      'Organisation et mise en œuvre de projets de coopération européenne et internationale dans l’enseignement et la formation',
      'Impact escompté de notre participation au Programme sur la modernisation de notre établissement',
    ]);
  });

  it('offer one template per kind of proposal that has one', () => {
    expect(templateForActionType('strategic_partnership')?.actionCode).toBe('KA220-HED');
    expect(templateForActionType('knowledge_alliance')?.id).toBe('alliance-for-innovation');
    expect(templateForActionType('capacity_building')?.id).toBe('capacity-building-hed');
    expect(templateForActionType('double_degree')?.id).toBe('double-degree-agreement');
    expect(templateForActionType('mobility_agreement')).toBeUndefined();
    for (const shipped of PROPOSAL_TEMPLATES) {
      if (shipped.actionType) expect(PROPOSAL_TEMPLATES.filter((other) => other.actionType === shipped.actionType)).toHaveLength(1);
    }
  });

  it('draft sections in French first unless a section says otherwise', () => {
    for (const shipped of PROPOSAL_TEMPLATES) for (const section of shipped.sections) expect(['fr', 'en']).toContain(section.sourceLanguage);
    expect(template('cooperation-partnership-hed').sections.every((section) => section.sourceLanguage === 'fr')).toBe(true);
  });
});

describe('template validation', () => {
  it('accepts a valid template and fills the defaults', () => {
    const check = checkTemplate(sample());
    expect(check.ok).toBe(true);
    expect(check.template?.aliases).toEqual([]);
    expect(check.template?.requiredOwners).toEqual([]);
    expect(check.template?.sections[0].sourceLanguage).toBe('fr');
  });

  it('refuses duplicate section ids, saying which', () => {
    const base = sample();
    const check = checkTemplate({ ...base, sections: [...base.sections, { ...base.sections[0], title: { fr: 'Encore', en: 'Again' } }] });
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual([{ path: 'sections[2].id', message: 'section id "relevance" is already used by sections[0]' }]);
  });

  it('refuses a template without sections', () => {
    const check = checkTemplate(sample({ sections: [] }));
    expect(check.problems).toEqual([{ path: 'sections', message: 'a template needs at least one section' }]);
  });

  it('refuses a template whose sections are all internal', () => {
    const base = sample();
    const check = checkTemplate({ ...base, sections: base.sections.map((section) => ({ ...section, internal: true })) });
    expect(check.problems.map((problem) => problem.path)).toEqual(['sections']);
    expect(check.problems[0].message).toMatch(/at least one section shared with the partners/);
  });

  it('refuses a template where a required department owns no section', () => {
    const check = checkTemplate(sample({ requiredOwners: ['company_relations'] }));
    expect(check.problems).toEqual([{ path: 'requiredOwners', message: 'the department "company_relations" must own at least one section, and owns none' }]);
  });

  it('points at each field a broken template gets wrong', () => {
    const base = sample();
    const broken = {
      ...base,
      id: 'Not A Slug',
      sections: [{ ...base.sections[0], title: { fr: ' ', en: 'Relevance' }, charLimit: 0, defaultOwner: 'marketing' }, base.sections[1]],
    };
    const paths = checkTemplate(broken).problems.map((problem) => problem.path);
    expect(paths).toEqual(expect.arrayContaining(['id', 'sections[0].title.fr', 'sections[0].charLimit', 'sections[0].defaultOwner']));
    expect(checkTemplate(broken).problems.find((problem) => problem.path === 'sections[0].title.fr')?.message).toBe('the French text is empty');
  });

  it('throws one error listing every problem when parsing', () => {
    const base = sample();
    const broken = { ...base, requiredOwners: ['research'], sections: [base.sections[0], base.sections[0]] };
    expect(() => parseTemplate(broken)).toThrow(TemplateError);
    try {
      parseTemplate(broken);
    } catch (error) {
      expect((error as TemplateError).message).toBe(
        'Invalid proposal template "sample":\n' +
          '- sections[1].id: section id "relevance" is already used by sections[0]\n' +
          '- requiredOwners: the department "research" must own at least one section, and owns none',
      );
    }
  });

  it('refuses two templates with the same id', () => {
    expect(checkTemplates([sample(), sample()])).toEqual([{ path: '[1].id', message: 'template id "sample" is already used by [0]' }]);
  });
});

describe('draft length', () => {
  it('counts characters including spaces in every block, one per accented letter', () => {
    expect(countCharacters('Déjà vu')).toBe(7);
    expect(countCharacters('😀 ok')).toBe(4);
    expect(
      draftLength([
        { type: 'heading', text: 'Lot 1' },
        { type: 'paragraph', text: 'Une école.' },
        { type: 'bullets', items: ['a b', 'c'] },
      ]),
    ).toBe(5 + 10 + 3 + 1);
  });

  it('reports unknown sections and text over the limit', () => {
    const t = parseTemplate(sample({ sections: [{ ...sample().sections[0], charLimit: 10 }] }));
    const problems = checkDraft(t, {
      templateId: 'sample',
      sections: {
        relevance: { fr: [{ type: 'paragraph', text: 'Onze lettres' }], en: [{ type: 'paragraph', text: 'Ten chars.' }] },
        budget: { fr: [{ type: 'paragraph', text: 'x' }], en: [{ type: 'paragraph', text: 'x' }] },
      },
    });
    expect(problems).toEqual([
      { path: 'sections.relevance.fr', message: '12 characters, over the limit of 10' },
      { path: 'sections.budget', message: 'template "sample" has no section "budget"' },
    ]);
  });
});

describe('the demo’s drafted sections', () => {
  const texts = (blocks: readonly DraftBlock[]) => blocks.flatMap((block) => (block.type === 'bullets' ? block.items : [block.text]));

  it('are drafts of the cooperation partnership, the alliance for innovation and the double degree', () => {
    expect(PROPOSAL_DRAFTS.map((draft) => draft.templateId)).toEqual(['cooperation-partnership-hed', 'alliance-for-innovation', 'double-degree-agreement']);
    for (const draft of PROPOSAL_DRAFTS) expect(ProposalDraft.safeParse(draft).success, draft.templateId).toBe(true);
  });

  it('draft every section of their template, and only those', () => {
    for (const draft of PROPOSAL_DRAFTS) {
      const t = template(draft.templateId);
      expect(Object.keys(draft.sections).sort(), draft.templateId).toEqual(t.sections.map((section) => section.id).sort());
    }
  });

  it('fit within each section’s limit in both languages', () => {
    for (const draft of PROPOSAL_DRAFTS) {
      const t = template(draft.templateId);
      expect(checkDraft(t, draft), draft.templateId).toEqual([]);
      for (const section of t.sections) {
        if (section.charLimit === null) continue;
        for (const locale of ['fr', 'en'] as const) expect(draftLength(draft.sections[section.id][locale]), `${section.id}.${locale}`).toBeLessThanOrEqual(section.charLimit);
      }
    }
    // The limit is real: the cooperation partnership's sections are drafted at some length.
    expect(draftLength(draftFor('cooperation-partnership-hed')!.sections.relevance.fr)).toBeGreaterThan(1000);
  });

  it('write French with typographic apostrophes, and have the same shape in both languages', () => {
    for (const draft of PROPOSAL_DRAFTS) {
      for (const [id, section] of Object.entries(draft.sections)) {
        for (const text of texts(section.fr)) expect(text, id).not.toContain("'");
        expect(section.en.map((block) => block.type), `${draft.templateId}.${id}`).toEqual(section.fr.map((block) => block.type));
      }
    }
  });

  it('carry the policy statement’s meaning, not the English translation’s errors', () => {
    const english = PROPOSAL_DRAFTS.flatMap((draft) => Object.values(draft.sections).flatMap((section) => texts(section.en))).join('\n');
    for (const error of ['Profitability', 'over ten years', 'and on fossil resources', 'implication of companies', 'internship liaison', 'complies with', 'PhD graduates', 'support for the Picardy region']) {
      expect(english).not.toContain(error);
    }
    expect(english).toContain('6 mobilities a year for the last 2 years');
    expect(english).toContain('over a 10-year period');
    expect(english).toContain('alternatives to the industrial economy based on fossil resources');
    expect(english).toContain('company-relations and internships service');
    expect(english).toContain('the SRI follows up');
  });
});
