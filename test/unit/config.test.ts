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
