/**
 * The OpenAPI 3.1 document of the server, generated from the zod schemas the routes validate with
 * (zod 4's own `z.toJSONSchema`, whose JSON Schema draft 2020-12 is OpenAPI 3.1's), and a readable
 * page of it rendered on the server: no script, no CDN, nothing fetched by the browser.
 */
import { createHash } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import { ErrorBody } from '@passerelle/shared';
import { OPERATIONS, type Caller, type Operation } from './openapi-operations.js';

const CALLERS: Record<Caller, string> = {
  public: 'Anyone',
  'signed-in': 'A signed-in member or partner guest',
  member: 'A workspace member',
  admin: 'An administrator',
  'board-viewer': 'Anyone with a role on the board (404 otherwise)',
  'board-commenter': 'A commenter, editor or owner of the board',
  'board-editor': 'An editor or owner of the board (a viewer gets 403)',
  'board-owner': 'The board’s owner',
  'metrics-token': 'The bearer of METRICS_TOKEN',
};

/** A zod schema as JSON Schema as a request would be written (defaults optional). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _draft, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as Record<string, unknown>;
  return rest;
}

function operationObject(operation: Operation): Record<string, unknown> {
  const parameters = [...operation.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  const status = String(operation.status ?? 200);
  const errors = { description: 'An error, its message in the caller’s language', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return {
    tags: [operation.tag],
    summary: operation.summary,
    description: `Who may call it: ${CALLERS[operation.caller]}.`,
    operationId: `${operation.method}${operation.path.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_match, next: string | undefined) => (next ?? '').toUpperCase())}`,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(operation.caller === 'public' ? { security: [] } : {}),
    ...(operation.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(operation.body, 'input') } } } } : {}),
    responses: {
      [status]: operation.answer ? { description: 'Done', content: { 'application/json': { schema: jsonSchema(operation.answer, 'output') } } } : { description: 'Done' },
      ...(operation.caller === 'public' ? {} : { '401': errors, '403': errors }),
      '4XX': errors,
    },
  };
}

/** Builds the OpenAPI 3.1 document of every operation. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of OPERATIONS) (paths[operation.path] ??= {})[operation.method] = operationObject(operation);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Passerelle API',
      version: '1',
      description:
        'Cards, workspace records and webhooks over HTTP. Authenticate with a personal API token (`Authorization: Bearer psl_…`, created under Settings) or the session cookie. ' +
        'Changes are applied to the live documents: open boards update at once, and the same rules hold as in the app (roles, workflow gates, internal fields). ' +
        'Every error is `{ "error": { "code", "message" } }`, the message in the caller’s language (their saved choice, else Accept-Language).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { session: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token' },
        session: { type: 'apiKey', in: 'cookie', name: 'passerelle_session' },
      },
      schemas: { Error: jsonSchema(ErrorBody, 'output') },
    },
    paths,
  };
}

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h2{margin-top:2.5rem;border-bottom:1px solid #d0d7de}code,pre{font:13px ui-monospace,monospace}
pre{background:#f6f8fa;padding:.75rem;overflow:auto;border-radius:4px}details{margin:.5rem 0}
summary{cursor:pointer}.m{display:inline-block;min-width:4.5rem;font-weight:700;text-transform:uppercase}
.who{color:#57606a;margin:.25rem 0}`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** The document as one HTML page: each operation with who may call it, its body and its answer. */
export function renderReference(document: Record<string, unknown>): string {
  const info = document.info as { title: string; description: string };
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      const body = (operation.requestBody as { content: { 'application/json': { schema: unknown } } } | undefined)?.content['application/json'].schema;
      const responses = operation.responses as Record<string, { content?: { 'application/json': { schema: unknown } } }>;
      const [status, success] = Object.entries(responses)[0];
      const parts = [
        `<details id="${escape(String(operation.operationId))}"><summary><span class="m">${method}</span> <code>${escape(path)}</code> — ${escape(String(operation.summary))}</summary>`,
        `<p class="who">${escape(String(operation.description))}</p>`,
        body ? `<p>Body:</p><pre>${escape(JSON.stringify(body, null, 2))}</pre>` : '',
        `<p>Answer ${status}${success.content ? ':' : '.'}</p>`,
        success.content ? `<pre>${escape(JSON.stringify(success.content['application/json'].schema, null, 2))}</pre>` : '',
        '</details>',
      ];
      const tag = (operation.tags as string[])[0];
      byTag.set(tag, [...(byTag.get(tag) ?? []), parts.join('')]);
    }
  }
  const sections = [...byTag].map(([tag, operations]) => `<h2>${escape(tag)}</h2>${operations.join('\n')}`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(info.title)}</title><style>${STYLE}</style></head><body><main><h1>${escape(info.title)}</h1><p>${escape(info.description)}</p><p>The machine-readable document: <a href="/api/openapi.json"><code>/api/openapi.json</code></a>. Webhooks: see <code>docs/api.md</code>.</p>${sections}</main></body></html>`;
}

/** `GET /api/openapi.json` and `GET /api/reference`, open to anyone: the document holds no data. */
export function createOpenApiRouter(): express.Router {
  const router = express.Router();
  const document = buildOpenApiDocument();
  const page = renderReference(document);
  router.get('/openapi.json', (_request, response) => {
    response.json(document);
  });
  router.get('/reference', (_request, response) => {
    // The API's CSP allows nothing; this page needs its one stylesheet, named by its hash.
    response.setHeader('Content-Security-Policy', `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; frame-ancestors 'none'`);
    response.type('html').send(page);
  });
  return router;
}
