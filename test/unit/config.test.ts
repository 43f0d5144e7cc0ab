/**
 * Settings read once at start: a setting the documentation names is one the server reads, with the
 * default it states, and a bad value stops the start with a message naming the variable.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/store/sqlite-database.js';
import { tempDataDir } from '../helpers/test-server.js';

describe('SQLITE_SYNCHRONOUS', () => {
  it('is FULL unless set: an edit someone has seen survives a power loss', () => {
    expect(loadConfig({}).sqliteSynchronous).toBe('FULL');
    expect(loadConfig({ SQLITE_SYNCHRONOUS: 'NORMAL' }).sqliteSynchronous).toBe('NORMAL');
  });

  it('refuses any other value, naming the variable', () => {
    expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(ConfigError);
    expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/SQLITE_SYNCHRONOUS/);
  });

  it('is the synchronous mode of the database the server opens', () => {
    const data = tempDataDir();
    try {
      // SQLite reports synchronous as a number: 1 NORMAL, 2 FULL.
      const full = openDatabase(data.dir, { synchronous: 'FULL' });
      expect(full.pragma('synchronous', { simple: true })).toBe(2);
      full.close();
      const normal = openDatabase(data.dir, { synchronous: 'NORMAL' });
      expect(normal.pragma('synchronous', { simple: true })).toBe(1);
      normal.close();
    } finally {
      data.remove();
    }
  });
});

describe('SMTP_URL and MAIL_FROM', () => {
  it('are unset by default: no e-mail is sent', () => {
    expect(loadConfig({}).mail).toBeNull();
  });

  it('are read together', () => {
    expect(loadConfig({ SMTP_URL: 'smtps://user:secret@mail.school.example:465', MAIL_FROM: 'Passerelle <passerelle@school.example>' }).mail).toEqual({
      smtpUrl: 'smtps://user:secret@mail.school.example:465',
      from: 'Passerelle <passerelle@school.example>',
    });
  });

  it('refuse one without the other, or a URL that is not SMTP, naming the variable', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.school.example' })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig({ MAIL_FROM: 'passerelle@school.example' })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig({ SMTP_URL: 'https://mail.school.example', MAIL_FROM: 'passerelle@school.example' })).toThrow(/SMTP_URL/);
  });
});

describe('single sign-on settings (OIDC_*, AUTH_REQUIRE_SSO)', () => {
  const oidc = { OIDC_ISSUER_URL: 'https://login.ecole.example/realms/staff', OIDC_CLIENT_ID: 'passerelle' };

  it('is off unless OIDC_ISSUER_URL is set, and needs OIDC_CLIENT_ID with it', () => {
    expect(loadConfig({}).oidc).toBeNull();
    expect(() => loadConfig({ OIDC_ISSUER_URL: oidc.OIDC_ISSUER_URL })).toThrow(/OIDC_CLIENT_ID/);
    expect(loadConfig(oidc).oidc).toMatchObject({ displayName: 'SSO', scopes: 'openid email profile', groupsClaim: 'groups', groupMap: null, clientSecret: null });
  });

  it('refuses an issuer over plain HTTP unless it is on this machine', () => {
    expect(() => loadConfig({ ...oidc, OIDC_ISSUER_URL: 'http://login.ecole.example' })).toThrow(/OIDC_ISSUER_URL/);
    expect(loadConfig({ ...oidc, OIDC_ISSUER_URL: 'http://127.0.0.1:8080' }).oidc?.issuerUrl).toBe('http://127.0.0.1:8080');
  });

  it('reads the group map as lists or comma-separated departments, admin and member', () => {
    const config = loadConfig({ ...oidc, OIDC_GROUP_MAP: '{"ri": ["sri", "admin"], "lab": "research, member"}' });
    expect(Object.fromEntries(config.oidc!.groupMap!)).toEqual({
      ri: { departments: ['sri'], isAdmin: true },
      lab: { departments: ['research'], isAdmin: false },
    });
  });

  it('refuses a group map naming an unknown department, or that is not JSON', () => {
    expect(() => loadConfig({ ...oidc, OIDC_GROUP_MAP: '{"ri": ["international"]}' })).toThrow(/OIDC_GROUP_MAP.*international/);
    expect(() => loadConfig({ ...oidc, OIDC_GROUP_MAP: 'ri=sri' })).toThrow(/OIDC_GROUP_MAP/);
    expect(() => loadConfig({ ...oidc, OIDC_REQUIRE_GROUP: 'true' })).toThrow(/OIDC_REQUIRE_GROUP/);
  });

  it('requires single sign-on only with a provider and a break-glass administrator', () => {
    expect(() => loadConfig({ AUTH_REQUIRE_SSO: 'true', ADMIN_EMAIL: 'a@ecole.example', ADMIN_PASSWORD: 'long enough password' })).toThrow(/AUTH_REQUIRE_SSO/);
    expect(() => loadConfig({ ...oidc, AUTH_REQUIRE_SSO: 'true' })).toThrow(/break-glass/);
    expect(loadConfig({ ...oidc, AUTH_REQUIRE_SSO: 'true', ADMIN_EMAIL: 'A@ecole.example', ADMIN_PASSWORD: 'long enough password' }).requireSso).toEqual({
      breakGlassEmail: 'a@ecole.example',
    });
    expect(loadConfig({ ...oidc, AUTH_REQUIRE_SSO: 'true', AUTH_BREAK_GLASS_EMAIL: 'Secours@ecole.example' }).requireSso).toEqual({ breakGlassEmail: 'secours@ecole.example' });
  });
});
