/**
 * An administrator's changes to the workspace's proposal templates are audited like their other
 * changes to the workspace, through a real server: copying, editing and deleting a template each
 * leave one entry naming the administrator, the template and its name in their language; a refused
 * edit or a member's refused attempt leaves none.
 */
import { describe, expect, it } from 'vitest';
import { AuditEvent, PROPOSAL_TEMPLATES, type TemplateEntry, type UpdateTemplateRequest } from '@passerelle/shared';
import { serverPerTest } from '../helpers/per-test.js';
import { proposalPerTest } from '../helpers/proposals.js';
import { api, createMember } from '../helpers/test-server.js';

const SHIPPED = PROPOSAL_TEMPLATES[0]!;
const TEMPLATE_EVENTS = ['template_copied', 'template_edited', 'template_deleted'];

describe('template changes in the audit log', () => {
  const ctx = serverPerTest();
  const given = proposalPerTest(ctx, 'GREENPATH');
  const asAdmin = <T>(path: string, init: Parameters<typeof api>[2] = {}) => api<T>(ctx.server.url, path, { ...init, token: given.token });
  /** The template events of the audit log, oldest first, read as the audit page reads them. */
  const templateEvents = async () => {
    const response = await asAdmin<{ events: unknown[] }>('/api/audit?limit=500');
    expect(response.status).toBe(200);
    return response.body.events
      .map((event) => AuditEvent.parse(event))
      .filter((event) => TEMPLATE_EVENTS.includes(event.type))
      .reverse();
  };

  it('records an administrator’s copy, edit and deletion of a template, each with the template and its name', async () => {
    const copied = await asAdmin<TemplateEntry>(`/api/templates/${SHIPPED.id}/copy`, { method: 'POST', body: { name: { fr: 'Partenariat ESCOM', en: 'ESCOM partnership' } } });
    expect(copied.status).toBe(201);
    const copyId = copied.body.template.id;
    const edit: UpdateTemplateRequest = { name: { fr: 'Partenariat ESCOM 2027', en: 'ESCOM partnership 2027' }, actionType: null, sections: copied.body.template.sections };
    expect((await asAdmin(`/api/templates/${copyId}`, { method: 'PUT', body: edit, headers: { 'accept-language': 'fr' } })).status).toBe(200);
    expect((await asAdmin(`/api/templates/${copyId}`, { method: 'DELETE' })).status).toBe(204);

    const events = await templateEvents();
    expect(events.map((event) => [event.type, event.target, event.details])).toEqual([
      ['template_copied', copyId, { template: 'ESCOM partnership', copiedFrom: SHIPPED.id }],
      ['template_edited', copyId, { template: 'Partenariat ESCOM 2027' }],
      ['template_deleted', copyId, { template: 'ESCOM partnership 2027' }],
    ]);
    // All three by the one administrator, named.
    expect(events[0]!.actorId).toEqual(expect.any(String));
    expect(events[0]!.actorName).toEqual(expect.any(String));
    for (const event of events) expect([event.actorId, event.actorName]).toEqual([events[0]!.actorId, events[0]!.actorName]);

    const filtered = await asAdmin<{ events: AuditEvent[] }>('/api/audit?type=template_edited');
    expect(filtered.body.events.map((event) => event.target)).toEqual([copyId]);
  });

  it('records nothing for a refused edit, a missing template or a member’s attempt', async () => {
    const copied = await asAdmin<TemplateEntry>(`/api/templates/${SHIPPED.id}/copy`, { method: 'POST', body: {} });
    const copyId = copied.body.template.id;
    expect((await asAdmin(`/api/templates/${copyId}`, { method: 'PUT', body: { name: copied.body.template.name, actionType: null, sections: [] } })).status).toBe(400);
    expect((await asAdmin(`/api/templates/${SHIPPED.id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await asAdmin('/api/templates/no-such-template', { method: 'DELETE' })).status).toBe(404);
    const member = await createMember(ctx.server.url, 'lea', ['sri']);
    expect((await api(ctx.server.url, `/api/templates/${copyId}`, { method: 'DELETE', token: member.token })).status).toBe(403);
    expect((await templateEvents()).map((event) => event.type)).toEqual(['template_copied']);
  });
});
