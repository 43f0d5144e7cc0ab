/**
 * Sign-in throttling over real connections from distinct client addresses (Linux routes all of
 * 127.0.0.0/8 to the loopback interface, so each request picks its own source address): wrong
 * passwords slow down the email and address pair that sent them, not the person they target; an
 * address or a guesser spread over many addresses is still stopped; X-Forwarded-For is believed only
 * from the balancer; and the same holds across two processes on Redis.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEvent, Me } from '@passerelle/shared';
import type { PasserelleServer } from '../../server/src/app.js';
import { LoginLimiter, type LoginLimits } from '../../server/src/auth/login-limiter.js';
import { redisForThisFile } from '../helpers/redis-fixture.js';
import { ADMIN, api, login, startTestServer, tempDataDir } from '../helpers/test-server.js';

const COLLEAGUE = { email: 'collegue@example.org', password: 'her-own-long-password' };
const WRONG = { email: COLLEAGUE.email, password: 'a-wrong-guess' };

/** Signs in from the local address `from`; returns the status and the Retry-After header. */
function signInFrom(server: PasserelleServer, from: string, body: object, headers: Record<string, string> = {}): Promise<{ status: number; retryAfter: number | null }> {
  const { hostname, port } = new URL(server.url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const call = httpRequest(
      { host: hostname, port, path: '/api/auth/login', method: 'POST', localAddress: from, headers: { 'content-type': 'application/json', origin: server.url, ...headers } },
      (response) => {
        response.resume();
        response.on('end', () => {
          const retryAfter = response.headers['retry-after'];
          resolve({ status: response.statusCode ?? 0, retryAfter: retryAfter === undefined ? null : Number(retryAfter) });
        });
      },
    );
    call.on('error', reject);
    call.end(payload);
  });
}

const redis = redisForThisFile();

describe('sign-in throttling', () => {
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A server in this process with the colleague's account; `limits` tighten the defaults. */
  async function serverWith(limits: Partial<LoginLimits> | null, env: Record<string, string> = {}): Promise<PasserelleServer> {
    const data = tempDataDir();
    const server = await startTestServer({ dataDir: data.dir, env, ...(limits ? { loginLimiter: new LoginLimiter(limits) } : {}) });
    cleanups.push(() => data.remove(), () => server.close());
    return server;
  }

  async function addColleague(server: PasserelleServer): Promise<void> {
    const cookie = await login(server.url);
    const created = await api<Me>(server.url, '/api/users', { method: 'POST', cookie, headers: { origin: server.url }, body: { ...COLLEAGUE, name: 'Collègue' } });
    expect(created.status).toBe(201);
  }

  it('wrong passwords from another address slow down that address only: the colleague still signs in from hers', async () => {
    const server = await serverWith(null);
    await addColleague(server);
    // The default: five failures of one email from one address before it waits.
    for (let attempt = 0; attempt < 5; attempt++) expect((await signInFrom(server, '127.0.0.3', WRONG)).status).toBe(401);
    const attacker = await signInFrom(server, '127.0.0.3', COLLEAGUE);
    expect(attacker.status).toBe(429);
    expect(attacker.retryAfter).toBeGreaterThan(0);
    expect((await signInFrom(server, '127.0.0.4', COLLEAGUE)).status).toBe(200);
    // Her success does not lift the wait of the other address.
    expect((await signInFrom(server, '127.0.0.3', COLLEAGUE)).status).toBe(429);

    const cookie = await login(server.url);
    const audit = await api<{ events: AuditEvent[] }>(server.url, '/api/audit?limit=50', { cookie });
    const types = audit.body.events.filter((event) => event.target === COLLEAGUE.email).map((event) => event.type);
    expect(types.filter((type) => type === 'login_failed')).toHaveLength(4);
    expect(types).toContain('login_locked');
    expect(types).toContain('login_succeeded');
  });

  it('each further failure of the same email and address doubles the wait, up to the lockout', async () => {
    const server = await serverWith({ failuresPerPair: 2, firstDelaySeconds: 1, lockoutSeconds: 3 });
    await addColleague(server);
    const waits: number[] = [];
    for (let failure = 1; failure <= 5; failure++) {
      expect((await signInFrom(server, '127.0.0.5', WRONG)).status).toBe(401);
      if (failure < 2) continue;
      const refused = await signInFrom(server, '127.0.0.5', COLLEAGUE);
      expect(refused.status).toBe(429);
      waits.push(refused.retryAfter!);
      await new Promise((resolve) => setTimeout(resolve, refused.retryAfter! * 1000 + 100));
    }
    expect(waits).toEqual([1, 2, 3, 3]);
    // Once the wait is over, the right password goes through and the pair starts afresh.
    expect((await signInFrom(server, '127.0.0.5', COLLEAGUE)).status).toBe(200);
    expect((await signInFrom(server, '127.0.0.5', WRONG)).status).toBe(401);
  });

  it('guessing from many addresses locks the email, except at the address she signed in from; one address guessing many emails is blocked', async () => {
    const server = await serverWith({ failuresPerPair: 3, failuresPerEmail: 6, failuresPerAddress: 5 });
    await addColleague(server);
    expect((await signInFrom(server, '127.0.0.4', COLLEAGUE)).status).toBe(200);
    // Two guesses from each of three addresses: under every pair's bound, at the email's.
    for (const from of ['127.0.0.10', '127.0.0.11', '127.0.0.12']) {
      for (let attempt = 0; attempt < 2; attempt++) expect((await signInFrom(server, from, WRONG)).status).toBe(401);
    }
    const fromElsewhere = await signInFrom(server, '127.0.0.13', COLLEAGUE);
    expect(fromElsewhere.status).toBe(429);
    expect(fromElsewhere.retryAfter).toBeGreaterThan(0);
    expect((await signInFrom(server, '127.0.0.4', COLLEAGUE)).status).toBe(200);

    // One address trying five different emails reaches the address's bound, for every email.
    for (let index = 0; index < 5; index++) {
      expect((await signInFrom(server, '127.0.0.20', { email: `personne${index}@example.org`, password: 'a-wrong-guess' })).status).toBe(401);
    }
    expect((await signInFrom(server, '127.0.0.20', ADMIN)).status).toBe(429);
    expect((await signInFrom(server, '127.0.0.21', ADMIN)).status).toBe(200);
  });

  it('X-Forwarded-For is believed from the balancer only: a client elsewhere cannot pose as fresh addresses', async () => {
    // 127.0.0.2 plays the balancer, named alone in TRUST_PROXY as the Redis compose profile does.
    const server = await serverWith({ failuresPerPair: 2, failuresPerAddress: 100 }, { TRUST_PROXY: '127.0.0.2' });
    await addColleague(server);
    // A campus client spoofing a new address at each attempt is still counted under its own.
    expect((await signInFrom(server, '127.0.0.3', WRONG, { 'x-forwarded-for': '10.0.0.1' })).status).toBe(401);
    expect((await signInFrom(server, '127.0.0.3', WRONG, { 'x-forwarded-for': '10.0.0.2' })).status).toBe(401);
    expect((await signInFrom(server, '127.0.0.3', COLLEAGUE, { 'x-forwarded-for': '10.0.0.3' })).status).toBe(429);
    // Behind the balancer, clients are told apart by the address it reports (appended last).
    expect((await signInFrom(server, '127.0.0.2', WRONG, { 'x-forwarded-for': '10.1.1.1' })).status).toBe(401);
    expect((await signInFrom(server, '127.0.0.2', WRONG, { 'x-forwarded-for': '10.1.1.1' })).status).toBe(401);
    expect((await signInFrom(server, '127.0.0.2', COLLEAGUE, { 'x-forwarded-for': '10.1.1.1' })).status).toBe(429);
    expect((await signInFrom(server, '127.0.0.2', COLLEAGUE, { 'x-forwarded-for': '10.9.9.9, 10.1.1.2' })).status).toBe(200);
  });

  it('the Redis compose profile trusts X-Forwarded-For from the balancer’s own address only', () => {
    const compose = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');
    const trusted = [...compose.matchAll(/^\s*TRUST_PROXY:\s*"?([^"\s#]+)"?/gm)].map((match) => match[1]);
    const balancer = /^ {2}balancer:\n(?:^ {4,}.*\n|^\s*\n)*?^ {6,}ipv4_address:\s*"?([\d.]+)"?/m.exec(compose)?.[1];
    expect(balancer).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(trusted).toEqual([balancer]);
  });

  it('on Redis, a pair’s wait holds on both processes, and the colleague signs in on both from her address', async () => {
    const keyPrefix = redis.freshPrefix();
    const env = { REDIS_URL: (await redis.server()).url, REDIS_KEY_PREFIX: keyPrefix };
    const [first, second] = [await serverWith(null, env), await serverWith(null, env)];
    await addColleague(first!);
    for (let attempt = 0; attempt < 5; attempt++) expect((await signInFrom(attempt % 2 ? second! : first!, '127.0.0.3', WRONG)).status).toBe(401);
    for (const server of [first!, second!]) {
      expect((await signInFrom(server, '127.0.0.3', COLLEAGUE)).status).toBe(429);
      expect((await signInFrom(server, '127.0.0.4', COLLEAGUE)).status).toBe(200);
    }
  });
});
