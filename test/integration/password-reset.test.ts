/**
 * Passwords: changing one's own (the current one required, every other session ended) and resetting
 * a forgotten one through the e-mail a real SMTP server receives (docs/security.md, "Password reset").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '@passerelle/shared';
import { PasswordResets, RESET_LINK_MS, ResetLimiter } from '../../server/src/auth/password-reset.js';
import { hashSecret } from '../../server/src/auth/auth-service.js';
import { serverPerTest } from '../helpers/per-test.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { ADMIN, adminToken, api, login } from '../helpers/test-server.js';

const CAMILLE = { email: 'camille@example.org', password: 'first-password-1', name: 'Camille Martin' };
const NEW_PASSWORD = 'second-password-2';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
});

/** Creates Camille (French) as the administrator would. */
async function createCamille(baseUrl: string): Promise<void> {
  const cookie = await login(baseUrl, ADMIN);
  const created = await api(baseUrl, '/api/users', { method: 'POST', cookie, body: { ...CAMILLE, locale: 'fr' } });
  expect(created.status).toBe(201);
}

const askReset = (baseUrl: string, email: string) => api(baseUrl, '/api/auth/password-reset', { method: 'POST', body: { email } });
const confirmReset = (baseUrl: string, token: string, password = NEW_PASSWORD) =>
  api<{ error?: { code: string } }>(baseUrl, '/api/auth/password-reset/confirm', { method: 'POST', body: { token, password } });
const me = (baseUrl: string, cookie: string) => api<Me>(baseUrl, '/api/auth/me', { cookie });
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

describe('password reset by e-mail', () => {
  const ctx = serverPerTest(() => ({
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Passerelle <passerelle@school.example>', PUBLIC_URL: 'http://passerelle.school.example' },
    resetLimiter: new ResetLimiter({ perEmail: 2, perAddress: 7 }),
  }));

  it('says that a forgotten password can be reset here', async () => {
    expect((await api(ctx.server.url, '/api/auth/password-reset')).body).toEqual({ available: true });
  });

  it('answers 202 for an unknown address and sends it nothing', async () => {
    await createCamille(ctx.server.url);
    const before = smtp.received.length;
    expect((await askReset(ctx.server.url, 'nobody@example.org')).status).toBe(202);
    // A known address asked for after it: once its message arrived, the unknown one's work is done too.
    expect((await askReset(ctx.server.url, CAMILLE.email)).status).toBe(202);
    await smtp.mailTo(CAMILLE.email);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.mailsTo('nobody@example.org')).toHaveLength(0);
    expect(smtp.received.slice(before).map((mail) => mail.to)).toEqual([[CAMILLE.email]]);
  });

  it('sends a link in the person’s language that sets a new password once and ends every session', async () => {
    await createCamille(ctx.server.url);
    const first = await login(ctx.server.url, CAMILLE);
    const second = await login(ctx.server.url, CAMILLE);
    smtp.received.length = 0;
    expect((await askReset(ctx.server.url, CAMILLE.email)).status).toBe(202);
    const mail = await smtp.mailTo(CAMILLE.email);
    expect(mail.subject).toBe('Réinitialisez votre mot de passe Passerelle');
    expect(mail.parsed.from?.text).toContain('passerelle@school.example');
    expect(mail.text).toContain('Bonjour Camille Martin,');
    const link = linkIn(mail, 'http://passerelle.school.example/reset?token=');
    expect(mail.html).toContain(link.replace(/&/g, '&amp;'));
    const token = tokenOf(link);

    // Only the hash of the secret is stored.
    expect(await ctx.server.accounts.people.takePasswordReset(token)).toBeUndefined();

    expect((await confirmReset(ctx.server.url, token)).status).toBe(204);
    expect((await me(ctx.server.url, first)).status).toBe(401);
    expect((await me(ctx.server.url, second)).status).toBe(401);
    await expect(login(ctx.server.url, CAMILLE)).rejects.toThrow(/401/);
    expect((await me(ctx.server.url, await login(ctx.server.url, { email: CAMILLE.email, password: NEW_PASSWORD }))).status).toBe(200);

    const again = await confirmReset(ctx.server.url, token, 'third-password-3');
    expect(again.status).toBe(410);
    expect(again.body.error?.code).toBe('reset_link_invalid');
    await expect(login(ctx.server.url, { email: CAMILLE.email, password: 'third-password-3' })).rejects.toThrow(/401/);
  });

  it('refuses a link older than an hour', async () => {
    await createCamille(ctx.server.url);
    const resets = new PasswordResets(ctx.server.accounts.people);
    const issued = await resets.issue(CAMILLE.email, Date.now() - RESET_LINK_MS - 1000);
    expect(issued).not.toBeNull();
    expect((await confirmReset(ctx.server.url, issued!.secret)).status).toBe(410);
    await expect(login(ctx.server.url, { email: CAMILLE.email, password: NEW_PASSWORD })).rejects.toThrow(/401/);
    expect(await login(ctx.server.url, CAMILLE)).toMatch(/^passerelle_session=/);
  });

  it('refuses a new password shorter than ten characters and keeps the link', async () => {
    await createCamille(ctx.server.url);
    const issued = await new PasswordResets(ctx.server.accounts.people).issue(CAMILLE.email);
    expect((await confirmReset(ctx.server.url, issued!.secret, 'short')).status).toBe(400);
    expect(await ctx.server.accounts.people.takePasswordReset(hashSecret(issued!.secret))).toMatchObject({ userId: expect.any(String) });
  });

  it('limits requests per address asked for and per client, known address or not', async () => {
    await createCamille(ctx.server.url);
    expect((await askReset(ctx.server.url, CAMILLE.email)).status).toBe(202);
    expect((await askReset(ctx.server.url, CAMILLE.email)).status).toBe(202);
    const limited = await askReset(ctx.server.url, CAMILLE.email);
    expect(limited.status).toBe(429);
    // An unknown address is limited alike: the answer tells nothing.
    expect((await askReset(ctx.server.url, 'nobody@example.org')).status).toBe(202);
    expect((await askReset(ctx.server.url, 'nobody@example.org')).status).toBe(202);
    expect((await askReset(ctx.server.url, 'nobody@example.org')).status).toBe(429);
    // Every request counts against this client, refused ones too: past seven, any address is refused.
    expect((await askReset(ctx.server.url, 'someone@example.org')).status).toBe(202);
    expect((await askReset(ctx.server.url, 'else@example.org')).status).toBe(429);
    await smtp.mailTo(CAMILLE.email);
  });
});

describe('password reset without e-mail', () => {
  const ctx = serverPerTest();

  it('says it is unavailable and sends nothing', async () => {
    expect((await api(ctx.server.url, '/api/auth/password-reset')).body).toEqual({ available: false });
    const before = smtp.received.length;
    expect((await askReset(ctx.server.url, ADMIN.email)).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.received.length).toBe(before);
  });
});

describe('changing one’s password', () => {
  const ctx = serverPerTest();

  const change = (cookie: string | undefined, body: unknown, token?: string) => api<{ error?: { code: string } }>(ctx.server.url, '/api/auth/password', { method: 'POST', cookie, token, body });

  it('needs the current password, keeps this session and ends the others', async () => {
    await createCamille(ctx.server.url);
    const here = await login(ctx.server.url, CAMILLE);
    const elsewhere = await login(ctx.server.url, CAMILLE);
    const admin = await login(ctx.server.url, ADMIN);

    const wrong = await change(here, { currentPassword: 'not-my-password', newPassword: NEW_PASSWORD });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.code).toBe('invalid_credentials');
    expect((await me(ctx.server.url, elsewhere)).status).toBe(200);

    expect((await change(here, { currentPassword: CAMILLE.password, newPassword: NEW_PASSWORD })).status).toBe(204);
    expect((await me(ctx.server.url, here)).status).toBe(200);
    expect((await me(ctx.server.url, elsewhere)).status).toBe(401);
    // Someone else's session is not touched.
    expect((await me(ctx.server.url, admin)).status).toBe(200);
    await expect(login(ctx.server.url, CAMILLE)).rejects.toThrow(/401/);
    expect(await login(ctx.server.url, { email: CAMILLE.email, password: NEW_PASSWORD })).toMatch(/^passerelle_session=/);
  });

  it('is refused without a session, and to an API token', async () => {
    expect((await change(undefined, { currentPassword: ADMIN.password, newPassword: NEW_PASSWORD })).status).toBe(401);
    const token = await adminToken(ctx.server.url);
    expect((await change(undefined, { currentPassword: ADMIN.password, newPassword: NEW_PASSWORD }, token)).status).toBe(403);
    expect(await login(ctx.server.url, ADMIN)).toMatch(/^passerelle_session=/);
  });
});
