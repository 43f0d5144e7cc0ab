import { describe, expect, it } from 'vitest';
import { serverPerTest } from '../helpers/per-test.js';
import { api } from '../helpers/test-server.js';
import { registeredRoutes } from '../../server/src/rest/route-list.js';

/** The OpenAPI document covers the whole server, and its reference page is served with it. */
describe('OpenAPI document', () => {
  const ctx = serverPerTest();

  it('names every route registered in Express, with its method', async () => {
    const { status, body } = await api<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(ctx.server.url, '/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const routes = registeredRoutes(ctx.server.app);
    expect(routes.length).toBeGreaterThan(100);
    const missing = routes.filter((route) => !body.paths[route.path]?.[route.method]).map((route) => `${route.method.toUpperCase()} ${route.path}`);
    expect(missing).toEqual([]);
  });

  it('documents the cards API from its zod schemas', async () => {
    const { body } = await api<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; required?: string[] } }> } }>> }>(ctx.server.url, '/api/openapi.json');
    const create = body.paths['/api/boards/{boardId}/cards'].post.requestBody!.content['application/json'].schema;
    expect(Object.keys(create.properties)).toEqual(expect.arrayContaining(['columnId', 'title', 'kind', 'fields', 'internal']));
    expect(create.required).toEqual(expect.arrayContaining(['columnId', 'title']));
    expect(create.required).not.toContain('kind');
  });

  it('serves a readable reference page without scripts', async () => {
    const response = await fetch(`${ctx.server.url}/api/reference`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);
    const page = await response.text();
    expect(page).toContain('/api/boards/{boardId}/cards/{cardId}/move');
    expect(page).not.toContain('<script');
  });
});
