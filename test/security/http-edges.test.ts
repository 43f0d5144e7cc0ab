/**
 * Edges of the HTTP surface: a malformed percent-escape in a path is the client's mistake (400 on the
 * API, 4400 on /sync), not a server failure logged at error level; API answers are never cached.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloseCode, type ApiErrorBody } from '@passerelle/shared';
import type { PasserelleServer } from '../../server/src/app.js';
import { adminToken, api, createBoard, login, rawSocket, startTestServer, tempDataDir } from '../helpers/test-server.js';

/** A percent sign followed by a truncated UTF-8 sequence: decodeURIComponent throws on it. */
const MALFORMED = '%E0%A4%A';

describe('HTTP edges', () => {
  let data: ReturnType<typeof tempDataDir>;
  let server: PasserelleServer;
  let token: string;
  /** Every log entry the server wrote, parsed. */
  let logged: { level: number; msg?: string }[];

  beforeEach(async () => {
    data = tempDataDir();
    logged = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logged.push(JSON.parse(line) as { level: number; msg?: string });
        done();
      },
    });
    server = await startTestServer({ dataDir: data.dir, logger: pino({ level: 'trace' }, sink) });
    token = await adminToken(server.url);
  });

  afterEach(async () => {
    await server.close();
    data.remove();
  });

  /** Entries at warn level or above (pino: warn 40, error 50, fatal 60). */
  const loud = () => logged.filter((entry) => entry.level >= 40);

  it('a malformed percent-escape in an API path is a 400 in the caller’s language, logged below warn level', async () => {
    const boardId = await createBoard(server.url, token);
    for (const path of [`/api/boards/${MALFORMED}`, `/api/boards/${MALFORMED}/history`, `/api/guest-invites/${MALFORMED}`, `/api/boards/${boardId}/guests/${MALFORMED}`]) {
      const answer = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}`, 'accept-language': 'fr' } });
      expect([path, answer.status]).toEqual([path, 400]);
      const body = (await answer.json()) as ApiErrorBody;
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.message).toBe('Certains champs ne sont pas valides.');
    }
    // Without signing in too: the path is malformed whoever sends it.
    expect((await api(server.url, `/api/boards/${MALFORMED}`)).status).toBe(400);
    expect(loud()).toEqual([]);
  });

  it('a malformed percent-escape in a /sync path closes the socket with 4400, logged below warn level', async () => {
    const socket = rawSocket(`${server.url.replace('http', 'ws')}/sync/${MALFORMED}?token=${token}`);
    expect((await socket.closed).code).toBe(CloseCode.MalformedMessage);
    expect(socket.received).toEqual([]);
    expect(loud()).toEqual([]);
  });

  it('every API answer, success or error, says Cache-Control: no-store', async () => {
    const cookie = await login(server.url);
    const answers = await Promise.all([
      fetch(`${server.url}/api/boards`, { headers: { authorization: `Bearer ${token}` } }),
      fetch(`${server.url}/api/auth/me`, { headers: { cookie } }),
      fetch(`${server.url}/api/auth/me`),
      fetch(`${server.url}/api/no-such-route`, { headers: { authorization: `Bearer ${token}` } }),
      fetch(`${server.url}/api/boards/${MALFORMED}`, { headers: { authorization: `Bearer ${token}` } }),
      // Refused as cross-site before any route runs.
      fetch(`${server.url}/api/boards`, { method: 'POST', headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}' }),
      // Refused by the body parser.
      fetch(`${server.url}/api/boards`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{' }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 401, 404, 400, 403, 400]);
    for (const answer of answers) expect(answer.headers.get('cache-control')).toBe('no-store');
  });
});
