/**
 * What a partner guest may change about themselves, over a real server: their language, saved for
 * them and kept across their visits; nothing else. A guest who never chose gets their browser's.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Me } from '@passerelle/shared';
import { adminToken, api, createBoard, joinAsGuest } from '../helpers/test-server.js';
import { serverPerTest } from '../helpers/per-test.js';

describe('a partner guest’s own settings', () => {
  const ctx = serverPerTest();
  let token: string;
  let boardId: string;

  beforeEach(async () => {
    token = await adminToken(ctx.server.url);
    boardId = await createBoard(ctx.server.url, token, 'Accord Porto');
  });

  /** A request as the guest, from their browser (same origin, their Accept-Language). */
  const asGuest = <T>(cookie: string, path: string, init: { method?: string; body?: unknown; acceptLanguage?: string } = {}) =>
    api<T>(ctx.server.url, path, {
      method: init.method,
      body: init.body,
      cookie,
      headers: { origin: ctx.server.url, 'accept-language': init.acceptLanguage ?? 'pt-PT,pt;q=0.9,en;q=0.8' },
    });

  /** The language the server answers the guest in: the message of a refusal (guests never see the people list). */
  const messageOf = async (cookie: string, acceptLanguage: string) =>
    (await asGuest<{ error: { message: string } }>(cookie, '/api/people', { acceptLanguage })).body.error.message;

  it('a guest who never chose a language gets their browser’s, request by request', async () => {
    const { cookie, me } = await joinAsGuest({ serverUrl: ctx.server.url, as: { token }, boardId, name: 'Ana Silva', acceptLanguage: 'en-GB,en;q=0.9' });
    // Joining records no choice: the language the browser had that day is not frozen as theirs.
    expect(me.locale).toBeNull();
    expect((await asGuest<Me>(cookie, '/api/auth/me')).body.locale).toBeNull();
    expect(await messageOf(cookie, 'pt-PT,pt;q=0.9,en;q=0.8')).toBe('You do not have access to this.');
    expect(await messageOf(cookie, 'fr-FR,fr;q=0.9')).toBe('Vous n’avez pas accès à cet élément.');
  });

  it('a guest changes their language, and it sticks across reloads whatever their browser says', async () => {
    const { cookie } = await joinAsGuest({ serverUrl: ctx.server.url, as: { token }, boardId, name: 'Ana Silva', role: 'commenter' });
    const changed = await asGuest<Me>(cookie, '/api/auth/me', { method: 'PATCH', body: { locale: 'fr' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: expect.any(String), name: 'Ana Silva', locale: 'fr', guest: { boardId, role: 'commenter', boardTitle: 'Accord Porto' } });

    // A reload asks who they are again: the choice is theirs now, stored on the server.
    expect((await asGuest<Me>(cookie, '/api/auth/me')).body.locale).toBe('fr');
    expect(await messageOf(cookie, 'en-GB,en;q=0.9')).toBe('Vous n’avez pas accès à cet élément.');

    expect((await asGuest<Me>(cookie, '/api/auth/me', { method: 'PATCH', body: { locale: 'en' } })).body.locale).toBe('en');
    expect((await asGuest<Me>(cookie, '/api/auth/me')).body.locale).toBe('en');
  });

  it('a language chosen before joining through the invite link is kept for the guest', async () => {
    const { cookie, me } = await joinAsGuest({ serverUrl: ctx.server.url, as: { token }, boardId, locale: 'en', acceptLanguage: 'fr-FR' });
    expect(me.locale).toBe('en');
    expect((await asGuest<Me>(cookie, '/api/auth/me')).body.locale).toBe('en');
  });

  it('a guest may change nothing else about themselves', async () => {
    const { cookie } = await joinAsGuest({ serverUrl: ctx.server.url, as: { token }, boardId, name: 'Ana Silva' });
    for (const body of [{ name: 'Someone Else' }, { name: 'Someone Else', locale: 'fr' }]) {
      const refused = await asGuest<{ error: { code: string } }>(cookie, '/api/auth/me', { method: 'PATCH', body });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
    }
    // Fields the request schema does not know are not taken either.
    const extra = await asGuest<Me>(cookie, '/api/auth/me', { method: 'PATCH', body: { locale: 'en', isAdmin: true, departments: ['sri'], email: 'x@example.org' } });
    expect(extra.status).toBe(200);
    expect(extra.body).toMatchObject({ locale: 'en', isAdmin: false, departments: [], email: '' });
    const me = (await asGuest<Me>(cookie, '/api/auth/me')).body;
    expect(me).toMatchObject({ name: 'Ana Silva', isAdmin: false, departments: [], email: '' });
    const guests = await api<{ guests: { name: string }[] }>(ctx.server.url, `/api/boards/${boardId}/sharing`, { token });
    expect(guests.body.guests.map((guest) => guest.name)).toEqual(['Ana Silva']);
  });
});
