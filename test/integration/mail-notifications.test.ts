/**
 * E-mail that follows a notification (a mention, a sign-off request, an action item assigned), as
 * a real SMTP server receives it: in the recipient's language, per kind as they chose, and with an
 * unsubscribe link that works without signing in.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BoardDoc, type MailPreferences } from '@passerelle/shared';
import { serverPerTest } from '../helpers/per-test.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { syncedClient } from '../helpers/sync-client.js';
import { api, createBoard, eventually, login, signedInAdmin } from '../helpers/test-server.js';

const MARIE = { email: 'marie@example.org', password: 'marie-password-1', name: 'Marie Dupont' };

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
});

describe('notification e-mail', () => {
  const ctx = serverPerTest(() => ({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'passerelle@school.example', PUBLIC_URL: 'http://passerelle.school.example' } }));
  let admin: { token: string; cookie: string };
  let boardId: string;
  let cardId: string;
  let marieCookie: string;
  let marieId: string;

  beforeEach(async () => {
    smtp.received.length = 0;
    admin = await signedInAdmin(ctx.server.url);
    boardId = await createBoard(ctx.server.url, admin.token, 'Stratégie 2027');
    const created = await api<{ id: string }>(ctx.server.url, '/api/users', { method: 'POST', cookie: admin.cookie, body: { ...MARIE, locale: 'fr', departments: ['studies'] } });
    marieId = created.body.id;
    marieCookie = await login(ctx.server.url, MARIE);
    const client = await syncedClient(ctx.server.url, boardId, admin.token, ctx.track);
    const board = new BoardDoc(client.doc);
    cardId = board.addProposal(board.addColumn('Propositions'), { title: 'Alliance chimie verte', createdBy: 'admin' });
    const observer = new BoardDoc((await syncedClient(ctx.server.url, boardId, admin.token, ctx.track)).doc);
    await eventually(() => observer.getProposal(cardId) !== undefined, 5000, 'proposal on the server');
  });

  const mention = () =>
    api(ctx.server.url, `/api/boards/${boardId}/cards/${cardId}/comments`, { method: 'POST', token: admin.token, body: { text: '@Marie pouvez-vous relire ?', mentions: [marieId] } });
  const askSignOff = () => api(ctx.server.url, `/api/boards/${boardId}/cards/${cardId}/sign-off-requests`, { method: 'POST', token: admin.token, body: { department: 'studies' } });
  const unsubscribeTokenIn = (text: string) => decodeURIComponent(/\/unsubscribe\?token=(\S+)/.exec(text)![1]);

  it('e-mails a mention in the person’s language, with a link to the card and one to stop these e-mails', async () => {
    expect((await mention()).status).toBe(201);
    const mail = await smtp.mailTo(MARIE.email);
    expect(mail.subject).toMatch(/vous a mentionné sur « Alliance chimie verte »/);
    expect(mail.text).toContain('« @Marie pouvez-vous relire ? »');
    expect(mail.text).toContain(`http://passerelle.school.example/boards/${boardId}?card=${cardId}`);
    expect(mail.html).toContain('Ne plus recevoir d’e-mail quand on me mentionne');
    const header = mail.parsed.headerLines.find((line) => line.key === 'list-unsubscribe')?.line ?? '';
    expect(header).toContain('<http://passerelle.school.example/api/mail/unsubscribe?token=');
    expect(mail.parsed.headerLines.find((line) => line.key === 'list-unsubscribe-post')?.line).toContain('List-Unsubscribe=One-Click');
    // A mail client's one-click unsubscribe: a form post to that URL, no cookie, no Origin.
    const oneClick = new URL(/<([^>]+)>/.exec(header)![1]);
    const response = await fetch(`${ctx.server.url}${oneClick.pathname}${oneClick.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    expect((await api<{ preferences: MailPreferences }>(ctx.server.url, '/api/auth/mail-preferences', { cookie: marieCookie })).body.preferences.mention).toBe('never');
  });

  it('e-mails a sign-off request to the department’s members', async () => {
    expect((await askSignOff()).status).toBe(202);
    const mail = await smtp.mailTo(MARIE.email);
    expect(mail.subject).toMatch(/^Validation demandée à .*Alliance chimie verte/);
  });

  it('stops a kind through the unsubscribe link without signing in, and only that kind', async () => {
    await mention();
    const token = unsubscribeTokenIn((await smtp.mailTo(MARIE.email)).text);
    const forged = await api(ctx.server.url, '/api/mail/unsubscribe', { method: 'POST', body: { token: token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) } });
    expect(forged.status).toBe(404);
    const done = await api<{ kind: string }>(ctx.server.url, '/api/mail/unsubscribe', { method: 'POST', body: { token } });
    expect(done).toEqual({ status: 200, body: { kind: 'mention' } });
    expect((await api<{ preferences: MailPreferences }>(ctx.server.url, '/api/auth/mail-preferences', { cookie: marieCookie })).body.preferences).toEqual({
      mention: 'never',
      assignment: 'immediate',
      sign_off_request: 'immediate',
      reminder: 'immediate',
    });

    smtp.received.length = 0;
    await mention();
    // A sign-off request after it still arrives: once it has, the mention's e-mail would have too.
    await askSignOff();
    await smtp.mailTo(MARIE.email);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.mailsTo(MARIE.email).map((mail) => mail.subject)).toEqual([expect.stringMatching(/^Validation demandée/)]);
  });

  it('follows the choices made on the account page', async () => {
    const saved = await api<{ preferences: MailPreferences }>(ctx.server.url, '/api/auth/mail-preferences', {
      method: 'PUT',
      cookie: marieCookie,
      body: { mention: 'immediate', assignment: 'immediate', sign_off_request: 'never' },
    });
    expect(saved.status).toBe(200);
    await askSignOff();
    await mention();
    await smtp.mailTo(MARIE.email);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.mailsTo(MARIE.email).map((mail) => mail.subject)).toEqual([expect.stringMatching(/vous a mentionné/)]);
    // The notifications themselves are all there.
    const listed = await api<{ notifications: { kind: string }[] }>(ctx.server.url, '/api/notifications', { cookie: marieCookie });
    expect(listed.body.notifications.map((n) => n.kind).sort()).toEqual(['mention', 'sign_off_request']);
  });
});

describe('invitation e-mail', () => {
  const ctx = serverPerTest(() => ({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'passerelle@school.example' } }));

  it('e-mails the invitation link, which creates the account', async () => {
    const cookie = await login(ctx.server.url);
    const created = await api<{ url: string; emailed: boolean }>(ctx.server.url, '/api/invitations', {
      method: 'POST',
      cookie,
      headers: { 'accept-language': 'en-GB' },
      body: { email: 'ines@example.org', departments: ['studies'], expiresInDays: 7 },
    });
    expect(created.status).toBe(201);
    expect(created.body.emailed).toBe(true);
    const mail = await smtp.mailTo('ines@example.org');
    expect(mail.subject).toMatch(/invites you to Passerelle$/);
    expect(mail.text).toContain(created.body.url);
    const secret = created.body.url.split('/join/')[1];
    const accepted = await api(ctx.server.url, `/api/invitations/by-token/${secret}/accept`, { method: 'POST', body: { name: 'Inès', password: 'ines-password-1' } });
    expect([200, 201]).toContain(accepted.status);
  });

  it('writes the invitation in the language the inviter chose for the colleague', async () => {
    const cookie = await login(ctx.server.url);
    const created = await api<{ emailed: boolean }>(ctx.server.url, '/api/invitations', {
      method: 'POST',
      cookie,
      headers: { 'accept-language': 'en-GB' },
      body: { email: 'lea@example.org', departments: ['studies'], locale: 'fr' },
    });
    expect(created.body.emailed).toBe(true);
    const mail = await smtp.mailTo('lea@example.org');
    expect(mail.subject).toMatch(/vous invite sur Passerelle$/);
    const refused = await api(ctx.server.url, '/api/invitations', { method: 'POST', cookie, body: { email: 'jo@example.org', locale: 'de' } });
    expect(refused.status).toBe(400);
  });
});

describe('partner guest invitation e-mail', () => {
  const ctx = serverPerTest(() => ({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'passerelle@school.example' } }));

  it('e-mails the guest link to the partner’s address when one is given, and says so', async () => {
    const admin = await signedInAdmin(ctx.server.url);
    const boardId = await createBoard(ctx.server.url, admin.token, 'Double diplôme Porto');
    const invite = (email?: string) =>
      api<{ url: string; emailedTo: string | null }>(ctx.server.url, `/api/boards/${boardId}/guest-invites`, {
        method: 'POST',
        token: admin.token,
        headers: { 'accept-language': 'en-GB' },
        body: { role: 'commenter', label: 'Porto', expiresInHours: 48, ...(email ? { email } : {}) },
      });
    const created = await invite('ana@up.pt');
    expect(created.status).toBe(201);
    expect(created.body.emailedTo).toBe('ana@up.pt');
    const mail = await smtp.mailTo('ana@up.pt');
    expect(mail.subject).toMatch(/shares the board “Double diplôme Porto” with you$/);
    expect(mail.text).toContain(created.body.url);
    expect((await invite()).body.emailedTo).toBeNull();
  });

  it('writes the guest link in the language the inviter chose for the partner', async () => {
    const admin = await signedInAdmin(ctx.server.url);
    const boardId = await createBoard(ctx.server.url, admin.token, 'Double diplôme Porto');
    const created = await api<{ emailedTo: string | null }>(ctx.server.url, `/api/boards/${boardId}/guest-invites`, {
      method: 'POST',
      token: admin.token,
      headers: { 'accept-language': 'en-GB' },
      body: { role: 'commenter', label: 'Lyon', expiresInHours: 48, email: 'louise@univ-lyon.fr', locale: 'fr' },
    });
    expect(created.body.emailedTo).toBe('louise@univ-lyon.fr');
    expect((await smtp.mailTo('louise@univ-lyon.fr')).subject).toMatch(/partage avec vous le tableau « Double diplôme Porto »$/);
  });
});

describe('invitation without e-mail', () => {
  const ctx = serverPerTest();

  it('says the link was not e-mailed, to be copied', async () => {
    const cookie = await login(ctx.server.url);
    const created = await api<{ url: string; emailed: boolean }>(ctx.server.url, '/api/invitations', { method: 'POST', cookie, body: { email: 'ines@example.org' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ emailed: false, url: expect.stringContaining('/join/') });
  });
});
