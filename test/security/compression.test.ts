/**
 * Answers are compressed only when no other site can have caused the request (BREACH: a page of
 * another site making the browser repeat a request with its cookie, and reading guesses from the
 * compressed sizes). A real server on a free port, raw HTTP requests, the bytes as they travel.
 */
import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PasserelleServer } from '../../server/src/app.js';
import { adminToken, login, startTestServer, tempDataDir } from '../helpers/test-server.js';

interface RawAnswer {
  status: number;
  encoding: string | undefined;
  vary: string | undefined;
  bytes: Buffer;
}

/** A GET with exactly these headers, its body as it came over the wire. */
function rawGet(url: string, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () =>
        resolve({
          status: answer.statusCode ?? 0,
          encoding: answer.headers['content-encoding'],
          vary: answer.headers.vary,
          bytes: Buffer.concat(chunks),
        }),
      );
      answer.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

const decoded = (answer: RawAnswer): string =>
  (answer.encoding === 'br' ? brotliDecompressSync(answer.bytes) : answer.encoding === 'gzip' ? gunzipSync(answer.bytes) : answer.bytes).toString('utf8');

describe('compressed answers', () => {
  let data: ReturnType<typeof tempDataDir>;
  let server: PasserelleServer;
  let cookie: string;
  let token: string;
  /** A large API answer (the API's description, over 10 KB), as sent uncompressed. */
  let plain: string;
  const path = '/api/openapi.json';

  beforeAll(async () => {
    data = tempDataDir();
    server = await startTestServer({ dataDir: data.dir });
    cookie = await login(server.url);
    token = await adminToken(server.url);
    const answer = await rawGet(`${server.url}${path}`, {});
    expect(answer.encoding).toBeUndefined();
    plain = answer.bytes.toString('utf8');
    expect(plain.length).toBeGreaterThan(10_000);
  });

  afterAll(async () => {
    await server.close();
    data.remove();
  });

  it('a request of this site’s own pages, with the session cookie, gets brotli, or gzip when that is all it accepts', async () => {
    for (const site of ['same-origin', 'none']) {
      const brotli = await rawGet(`${server.url}${path}`, { cookie, 'sec-fetch-site': site, 'accept-encoding': 'gzip, deflate, br' });
      expect([site, brotli.status, brotli.encoding]).toEqual([site, 200, 'br']);
      expect(decoded(brotli)).toBe(plain);
      expect(brotli.bytes.length).toBeLessThan(plain.length / 3);
      expect(brotli.vary).toMatch(/accept-encoding/i);
    }
    const gzip = await rawGet(`${server.url}${path}`, { cookie, 'sec-fetch-site': 'same-origin', 'accept-encoding': 'gzip' });
    expect(gzip.encoding).toBe('gzip');
    expect(decoded(gzip)).toBe(plain);
  });

  it('a request another site’s page made the browser send with the cookie is not compressed', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const answer = await rawGet(`${server.url}${path}`, { cookie, 'sec-fetch-site': site, 'accept-encoding': 'gzip, deflate, br' });
      expect([site, answer.status, answer.encoding]).toEqual([site, 200, undefined]);
      expect(answer.bytes.toString('utf8')).toBe(plain);
    }
  });

  it('a request with the cookie from a browser that does not say where it comes from is not compressed', async () => {
    const answer = await rawGet(`${server.url}${path}`, { cookie, 'accept-encoding': 'gzip, deflate, br' });
    expect(answer.encoding).toBeUndefined();
    expect(answer.bytes.toString('utf8')).toBe(plain);
  });

  it('a request with a token and no cookie is compressed: no other site can make a browser add a token', async () => {
    const answer = await rawGet(`${server.url}${path}`, { authorization: `Bearer ${token}`, 'accept-encoding': 'br' });
    expect(answer.encoding).toBe('br');
    expect(decoded(answer)).toBe(plain);
  });

  it('a client that accepts no encoding gets the answer as it is', async () => {
    const answer = await rawGet(`${server.url}${path}`, { cookie, 'sec-fetch-site': 'same-origin' });
    expect(answer.encoding).toBeUndefined();
    expect(answer.bytes.toString('utf8')).toBe(plain);
  });
});
