/**
 * Proposal templates through a real server: members list and read them; administrators copy a
 * shipped template into the workspace, edit the copy and delete it; shipped templates stay read-only;
 * a bad edit is refused in the caller's language and writes nothing; a proposal card naming a
 * template gets that template's sections when its document is first opened, and keeps them when
 * the template is deleted; a connection cannot write the workspace's templates behind the API.
 */
import { describe, expect, it } from 'vitest';
import {
  BoardDoc,
  PROPOSAL_TEMPLATES,
  ProposalDoc,
  WORKSPACE_DOC,
  WorkspaceTemplates,
  proposalDocName,
  proposalInternalDocName,
  type ApiErrorBody,
  type ProposalListResponse,
  type TemplateEntry,
  type TemplateListResponse,
  type TemplateSectionEdit,
  type UpdateTemplateRequest,
} from '@passerelle/shared';
import { serverPerTest } from '../helpers/per-test.js';
import { TEST_ACTOR, addCard, proposalPerTest } from '../helpers/proposals.js';
import { syncedClient } from '../helpers/sync-client.js';
import { api, createMember, eventually, joinAsGuest } from '../helpers/test-server.js';

const SHIPPED = PROPOSAL_TEMPLATES[0]!;

/** A section as the edit form sends it. */
function section(id: string | undefined, title: string, more: Partial<TemplateSectionEdit> = {}): TemplateSectionEdit {
  return {
    ...(id ? { id } : {}),
    title: { fr: `${title} (fr)`, en: title },
    guidance: { fr: `Conseils pour ${title}`, en: `Guidance for ${title}` },
    charLimit: 2000,
    internal: false,
    defaultOwner: 'sri',
    ...more,
  };
}

describe('proposal templates API', () => {
  const ctx = serverPerTest();
  const given = proposalPerTest(ctx, 'GREENPATH');

  const asAdmin = <T>(path: string, init: Parameters<typeof api>[2] = {}) => api<T>(ctx.server.url, path, { ...init, token: given.token });
  const copyOf = async (templateId: string, body: unknown = {}) => {
    const response = await asAdmin<TemplateEntry>(`/api/templates/${templateId}/copy`, { method: 'POST', body });
    expect(response.status).toBe(201);
    return response.body;
  };
  const edit = (templateId: string, body: UpdateTemplateRequest, headers: Record<string, string> = {}) =>
    asAdmin<TemplateEntry & ApiErrorBody>(`/api/templates/${templateId}`, { method: 'PUT', body, headers });

  it('lists every shipped template, read-only, to a member', async () => {
    const member = await createMember(ctx.server.url, 'lea', ['studies']);
    const response = await api<TemplateListResponse>(ctx.server.url, '/api/templates', { token: member.token });
    expect(response.status).toBe(200);
    expect(response.body.templates.map((entry) => [entry.template.id, entry.builtIn])).toEqual(PROPOSAL_TEMPLATES.map((template) => [template.id, true]));
    const one = await api<TemplateEntry>(ctx.server.url, `/api/templates/${SHIPPED.id}`, { token: member.token });
    expect(one.body).toEqual({ template: SHIPPED, builtIn: true, basedOn: null, updatedAt: null });
  });

  it('refuses a partner guest the templates', async () => {
    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: { token: given.token }, boardId: given.boardId, role: 'editor' });
    expect((await api(ctx.server.url, '/api/templates', { cookie: guest.cookie })).status).toBe(403);
    expect((await api(ctx.server.url, `/api/templates/${SHIPPED.id}/copy`, { method: 'POST', cookie: guest.cookie, headers: { origin: ctx.server.url }, body: {} })).status).toBe(403);
  });

  it('lets an administrator copy a shipped template, then a copy of it, each listed after the shipped ones', async () => {
    const first = await copyOf(SHIPPED.id);
    expect(first).toMatchObject({ builtIn: false, basedOn: SHIPPED.id, template: { id: `${SHIPPED.id}-copy`, name: { fr: `${SHIPPED.name.fr} (copie)`, en: `${SHIPPED.name.en} (copy)` }, sections: SHIPPED.sections } });
    const second = await copyOf(first.template.id, { name: { fr: 'Partenariat ESCOM', en: 'ESCOM partnership' } });
    expect(second).toMatchObject({ basedOn: SHIPPED.id, template: { id: `${SHIPPED.id}-copy-2`, name: { fr: 'Partenariat ESCOM', en: 'ESCOM partnership' } } });

    const { body } = await asAdmin<TemplateListResponse>('/api/templates');
    expect(body.templates.slice(0, PROPOSAL_TEMPLATES.length).every((entry) => entry.builtIn)).toBe(true);
    expect(body.templates.slice(PROPOSAL_TEMPLATES.length).map((entry) => entry.template.id).sort()).toEqual([first.template.id, second.template.id].sort());
  });

  it('lets an administrator rename a copy, change its action type and add, remove, reorder and edit its sections', async () => {
    const copy = await copyOf(SHIPPED.id);
    const [context, partners] = copy.template.sections;
    const response = await edit(copy.template.id, {
      name: { fr: 'Mobilité courte ESCOM', en: 'ESCOM short mobility' },
      actionType: 'intensive_programme',
      sections: [
        section(undefined, 'Learning outcomes', { charLimit: null, defaultOwner: 'studies', sourceLanguage: 'en' }),
        { ...partners!, title: { fr: 'Partenaires', en: 'Partners' }, charLimit: 1500 },
        { ...context!, internal: true, defaultOwner: 'research' },
      ],
    });
    expect(response.status).toBe(200);
    const stored = (await asAdmin<TemplateEntry>(`/api/templates/${copy.template.id}`)).body;
    expect(stored.template.name).toEqual({ fr: 'Mobilité courte ESCOM', en: 'ESCOM short mobility' });
    expect(stored.template.actionType).toBe('intensive_programme');
    expect(stored.template.sections.map((s) => [s.id, s.title.en, s.charLimit, s.internal, s.defaultOwner, s.sourceLanguage])).toEqual([
      ['learning-outcomes', 'Learning outcomes', null, false, 'studies', 'en'],
      [partners!.id, 'Partners', 1500, false, partners!.defaultOwner, partners!.sourceLanguage],
      [context!.id, context!.title.en, context!.charLimit, true, 'research', context!.sourceLanguage],
    ]);
    expect(stored.updatedAt).not.toBeNull();
  });

  it('refuses a bad edit with every problem in the caller’s language, and writes nothing', async () => {
    const copy = await copyOf(SHIPPED.id);
    const french = { 'accept-language': 'fr' };
    const emptyTitle = await edit(copy.template.id, { name: { fr: ' ', en: 'Name' }, actionType: null, sections: [section('a', 'A')] }, french);
    expect(emptyTitle.status).toBe(400);
    expect(emptyTitle.body.error.details).toEqual([{ path: 'name.fr', message: 'Écrivez le titre (ou le nom) en français et en anglais.' }]);

    const allInternal = await edit(copy.template.id, { name: copy.template.name, actionType: null, sections: [section('a', 'A', { internal: true }), section('a', 'B', { charLimit: 0 })] });
    expect(allInternal.status).toBe(400);
    expect(allInternal.body.error.details).toEqual([
      { path: 'sections.1.charLimit', message: 'The character limit is a whole number from 1 to 1,000,000, or empty for none.' },
    ]);
    const rules = await edit(copy.template.id, { name: copy.template.name, actionType: null, sections: [section('a', 'A', { internal: true }), section('a', 'B', { internal: true })] }, french);
    expect(rules.body.error.details).toEqual([
      { path: 'sections.1.id', message: 'Deux sections ont l’identifiant « a » : chaque section a le sien.' },
      { path: 'sections', message: 'Toutes les sections sont internes : au moins une doit être partagée avec les partenaires.' },
    ]);
    expect((await edit(copy.template.id, { name: copy.template.name, actionType: null, sections: [] })).body.error.details).toEqual([
      { path: 'sections', message: 'A template needs at least one section.' },
    ]);

    const alliance = await copyOf('alliance-for-innovation');
    const withoutCompanies = await edit(
      alliance.template.id,
      { name: alliance.template.name, actionType: 'knowledge_alliance', sections: alliance.template.sections.map((s) => ({ ...s, defaultOwner: 'sri' as const })) },
      french,
    );
    expect(withoutCompanies.body.error.details).toEqual([
      { path: 'sections', message: expect.stringMatching(/^Le programme exige une section rédigée par le service « .+ » : donnez-lui-en au moins une\.$/) },
    ]);
    expect(withoutCompanies.body.error.details![0]!.message).not.toContain('company_relations');

    expect((await asAdmin<TemplateEntry>(`/api/templates/${copy.template.id}`)).body.template).toEqual(copy.template);
  });

  it('keeps shipped templates read-only and the workspace’s to administrators', async () => {
    const builtIn = await edit(SHIPPED.id, { name: SHIPPED.name, actionType: null, sections: [section('a', 'A')] }, { 'accept-language': 'fr' });
    expect(builtIn.status).toBe(403);
    expect(builtIn.body.error.details).toEqual([{ path: 'templateId', message: 'Les modèles fournis avec Passerelle ne se modifient ni ne se suppriment : copiez-en un d’abord.' }]);
    expect((await asAdmin(`/api/templates/${SHIPPED.id}`, { method: 'DELETE' })).status).toBe(403);

    const copy = await copyOf(SHIPPED.id);
    const member = await createMember(ctx.server.url, 'lea', ['sri']);
    const asMember = (path: string, init: Parameters<typeof api>[2]) => api(ctx.server.url, path, { ...init, token: member.token });
    expect((await asMember(`/api/templates/${SHIPPED.id}/copy`, { method: 'POST', body: {} })).status).toBe(403);
    expect((await asMember(`/api/templates/${copy.template.id}`, { method: 'PUT', body: { name: copy.template.name, actionType: null, sections: [section('a', 'A')] } })).status).toBe(403);
    expect((await asMember(`/api/templates/${copy.template.id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await asAdmin<TemplateEntry>(`/api/templates/${copy.template.id}`)).body.template).toEqual(copy.template);
  });

  it('deletes a workspace template; a proposal created from it keeps its sections', async () => {
    const copy = await copyOf(SHIPPED.id);
    await edit(copy.template.id, { name: copy.template.name, actionType: 'strategic_partnership', sections: [section('vision', 'Vision'), section('budget', 'Budget', { internal: true })] });
    const cardId = await addCard(ctx.server, given.boardId, 'Alliance verte', { actionType: 'strategic_partnership', templateId: copy.template.id });
    await ctx.server.sync.readDocument(proposalDocName(given.boardId, cardId), () => undefined);

    expect((await asAdmin(`/api/templates/${copy.template.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await asAdmin(`/api/templates/${copy.template.id}`)).status).toBe(404);
    expect((await asAdmin(`/api/templates/${copy.template.id}`, { method: 'DELETE' })).status).toBe(404);
    const sections = await ctx.server.sync.readDocument(proposalDocName(given.boardId, cardId), (doc) => new ProposalDoc(doc).list().map((s) => s.id));
    expect(sections).toEqual(['vision']);
  });

  it('creates a card’s sections from the template it names when its document is first opened, shared and internal apart', async () => {
    const copy = await copyOf(SHIPPED.id);
    await edit(copy.template.id, {
      name: copy.template.name,
      actionType: 'strategic_partnership',
      sections: [section('vision', 'Vision'), section('budget', 'Budget', { internal: true }), section('work-plan', 'Work plan')],
    });
    const cardId = await addCard(ctx.server, given.boardId, 'Alliance verte', { actionType: 'strategic_partnership', templateId: copy.template.id });

    // Listed before it is opened: the sections its template will give it, and nothing opened to count them.
    const before = (await asAdmin<ProposalListResponse>(`/api/boards/${given.boardId}/proposals`)).body.proposals.find((p) => p.cardId === cardId);
    expect(before).toMatchObject({ templateId: null, progress: { sections: 3, done: 0 } });
    expect(ctx.server.sync.openBoards.filter((name) => name.includes(cardId))).toEqual([]);

    const shared = await syncedClient(ctx.server.url, proposalDocName(given.boardId, cardId), given.token, ctx.track);
    await eventually(() => new ProposalDoc(shared.doc).list().length > 0, 5000, 'sections created');
    expect(new ProposalDoc(shared.doc).templateId).toBe(copy.template.id);
    expect(new ProposalDoc(shared.doc).list().map((s) => [s.id, s.title.en, s.charLimit])).toEqual([
      ['vision', 'Vision', 2000],
      ['work-plan', 'Work plan', 2000],
    ]);
    const internal = await ctx.server.sync.readDocument(proposalInternalDocName(given.boardId, cardId), (doc) => new ProposalDoc(doc).list().map((s) => s.id));
    expect(internal).toEqual(['budget']);

    const after = (await asAdmin<ProposalListResponse>(`/api/boards/${given.boardId}/proposals`)).body.proposals.find((p) => p.cardId === cardId);
    expect(after).toMatchObject({ templateId: copy.template.id, progress: { sections: 3 } });
    // The card without a template of its own gets its action type's usual one.
    const usual = await ctx.server.sync.readDocument(proposalDocName(given.boardId, given.cardId), (doc) => new ProposalDoc(doc).templateId);
    expect(usual).toBe(SHIPPED.id);
  });

  it('keeps a proposal’s internal sections on the template its shared ones came from, even when the card’s choice changed in between', async () => {
    const copy = await copyOf(SHIPPED.id);
    await edit(copy.template.id, { name: copy.template.name, actionType: 'strategic_partnership', sections: [section('vision', 'Vision'), section('budget', 'Budget', { internal: true })] });
    const cardId = await addCard(ctx.server, given.boardId, 'Alliance verte', { actionType: 'strategic_partnership', templateId: copy.template.id });
    // The internal document opened first: the shared one is created with it, from the same template.
    const internal = await ctx.server.sync.readDocument(proposalInternalDocName(given.boardId, cardId), (doc) => new ProposalDoc(doc).list().map((s) => s.id));
    expect(internal).toEqual(['budget']);
    await ctx.server.sync.editDocument(given.boardId, (doc) => new BoardDoc(doc).updateProposal(cardId, { templateId: null }), TEST_ACTOR);
    const shared = await ctx.server.sync.readDocument(proposalDocName(given.boardId, cardId), (doc) => ({ templateId: new ProposalDoc(doc).templateId, sections: new ProposalDoc(doc).list().map((s) => s.id) }));
    expect(shared).toEqual({ templateId: copy.template.id, sections: ['vision'] });
  });

  it('falls back to the action type’s usual template when the card names one that no longer exists', async () => {
    const cardId = await addCard(ctx.server, given.boardId, 'Alliance verte', { actionType: 'strategic_partnership', templateId: 'gone-template' });
    const templateId = await ctx.server.sync.readDocument(proposalDocName(given.boardId, cardId), (doc) => new ProposalDoc(doc).templateId);
    expect(templateId).toBe(SHIPPED.id);
  });

  it('puts back what a connection writes to the workspace’s templates, which only the API changes', async () => {
    const copy = await copyOf(SHIPPED.id);
    const client = await syncedClient(ctx.server.url, WORKSPACE_DOC, given.token, ctx.track);
    const templates = new WorkspaceTemplates(client.doc);
    await eventually(() => templates.has(copy.template.id), 5000, 'the copy synced');
    templates.put({ ...copy.template, id: 'forged', name: { fr: 'Faux', en: 'Forged' } }, null, 'someone');
    templates.map.set(copy.template.id, { template: { ...copy.template, sections: copy.template.sections.slice(0, 1) }, basedOn: null, updatedAt: 'x' });
    await eventually(() => !templates.has('forged') && templates.get(copy.template.id)?.template.sections.length === copy.template.sections.length, 5000, 'the forged writes undone');
    const listed = (await asAdmin<TemplateListResponse>('/api/templates')).body.templates.map((entry) => entry.template.id);
    expect(listed).not.toContain('forged');
    expect((await asAdmin<TemplateEntry>(`/api/templates/${copy.template.id}`)).body.template).toEqual(copy.template);
  });
});
