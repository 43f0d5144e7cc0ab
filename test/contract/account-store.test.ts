/** `SqliteAccountStore` over a real database in a fresh directory per test. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmailTakenError, type UserRecord } from '../../server/src/store/account-store.js';
import { openDatabase } from '../../server/src/store/sqlite-database.js';
import { SqliteAccountStore } from '../../server/src/store/sqlite-account-store.js';

let dataDir: string;
let db: Database.Database;
let accounts: SqliteAccountStore;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'passerelle-account-store-'));
  db = openDatabase(dataDir);
  accounts = new SqliteAccountStore(db);
});

afterEach(async () => {
  await accounts.close();
  db.close();
  await rm(dataDir, { recursive: true, force: true });
});

function user(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: 'user-camille',
    email: 'camille@example.org',
    name: 'Camille',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    isAdmin: false,
    locale: 'fr',
    departments: ['studies'],
    createdAt: '2026-01-05T09:00:00.000Z',
    deactivatedAt: null,
    ...overrides,
  };
}

function board(id: string, updatedAt: string, createdBy = 'user-camille') {
  return { id, title: `Board ${id}`, createdBy, createdAt: '2026-01-01T00:00:00.000Z', updatedAt };
}

describe('SqliteAccountStore users', () => {
  it('creates a user and finds it by email and by id with every field', async () => {
    const camille = user({ isAdmin: true, locale: 'en' });
    await accounts.createUser(camille);
    expect(await accounts.findUserByEmail('camille@example.org')).toEqual(camille);
    expect(await accounts.findUserById('user-camille')).toEqual(camille);
    expect(await accounts.countUsers()).toBe(1);
  });

  it('stores a user without a locale as null', async () => {
    await accounts.createUser(user({ locale: null }));
    expect((await accounts.findUserById('user-camille'))?.locale).toBeNull();
  });

  it('finds nobody for an unknown email or id', async () => {
    await accounts.createUser(user());
    expect(await accounts.findUserByEmail('someone@example.org')).toBeUndefined();
    expect(await accounts.findUserById('user-nobody')).toBeUndefined();
  });

  it('rejects a second account with the same email with EmailTakenError and keeps the first', async () => {
    await accounts.createUser(user());
    await expect(accounts.createUser(user({ id: 'user-other', name: 'Other' }))).rejects.toBeInstanceOf(EmailTakenError);
    expect(await accounts.countUsers()).toBe(1);
    expect((await accounts.findUserByEmail('camille@example.org'))?.name).toBe('Camille');
  });

  it('creates the first user only once', async () => {
    expect(await accounts.createFirstUser(user({ isAdmin: true }))).toBe(true);
    expect(await accounts.createFirstUser(user({ id: 'user-second', email: 'second@example.org', isAdmin: true }))).toBe(false);
    expect(await accounts.countUsers()).toBe(1);
    expect(await accounts.findUserById('user-second')).toBeUndefined();
  });

  it('does not create a first user once any account exists', async () => {
    await accounts.createUser(user());
    expect(await accounts.createFirstUser(user({ id: 'user-admin', email: 'admin@example.org', isAdmin: true }))).toBe(false);
    expect(await accounts.findUserById('user-admin')).toBeUndefined();
  });

  it('updates only the fields given', async () => {
    await accounts.createUser(user());
    expect(await accounts.updateUser('user-camille', { locale: 'en' })).toMatchObject({ name: 'Camille', locale: 'en' });
    expect(await accounts.updateUser('user-camille', { name: 'Camille M.' })).toMatchObject({ name: 'Camille M.', locale: 'en' });
    expect(await accounts.updateUser('user-camille', { locale: null })).toMatchObject({ name: 'Camille M.', locale: null });
    expect(await accounts.updateUser('user-nobody', { name: 'x' })).toBeUndefined();
  });

  it('lists users by name', async () => {
    await accounts.createUser(user({ id: 'u-z', email: 'z@example.org', name: 'Zoé' }));
    await accounts.createUser(user({ id: 'u-a', email: 'a@example.org', name: 'Aline' }));
    expect((await accounts.listUsers()).map((listed) => listed.name)).toEqual(['Aline', 'Zoé']);
  });
});

describe('SqliteAccountStore sessions', () => {
  beforeEach(async () => {
    await accounts.createUser(user());
  });

  it('finds a session by its token hash until it is deleted', async () => {
    await accounts.createSession('hash-1', 'user-camille', '2026-02-01T00:00:00.000Z');
    await accounts.createSession('hash-2', 'user-camille', '2026-03-01T00:00:00.000Z');
    expect(await accounts.findSession('hash-1')).toEqual({ userId: 'user-camille', expiresAt: '2026-02-01T00:00:00.000Z' });

    await accounts.deleteSession('hash-1');
    expect(await accounts.findSession('hash-1')).toBeUndefined();
    expect(await accounts.findSession('hash-2')).toEqual({ userId: 'user-camille', expiresAt: '2026-03-01T00:00:00.000Z' });
  });

  it('finds no session for an unknown hash', async () => {
    expect(await accounts.findSession('unknown')).toBeUndefined();
  });

  it('refuses a session for a user that does not exist', async () => {
    await expect(accounts.createSession('hash-x', 'user-nobody', '2026-02-01T00:00:00.000Z')).rejects.toThrow(/FOREIGN KEY/);
  });
});

describe('SqliteAccountStore API tokens', () => {
  beforeEach(async () => {
    await accounts.createUser(user());
    await accounts.createUser(user({ id: 'user-other', email: 'other@example.org', name: 'Other' }));
  });

  const token = (id: string, createdAt: string, userId = 'user-camille') => ({ id, userId, name: `token ${id}`, tokenHash: `hash-${id}`, createdAt });

  it('finds a token by hash and lists its owner’s tokens in creation order', async () => {
    await accounts.createApiToken(token('t2', '2026-01-02T00:00:00.000Z'));
    await accounts.createApiToken(token('t1', '2026-01-01T00:00:00.000Z'));
    await accounts.createApiToken(token('t3', '2026-01-03T00:00:00.000Z', 'user-other'));

    expect(await accounts.findApiToken('hash-t1')).toEqual({ id: 't1', userId: 'user-camille' });
    expect(await accounts.listApiTokens('user-camille')).toEqual([
      { id: 't1', name: 'token t1', createdAt: '2026-01-01T00:00:00.000Z', lastUsedAt: null },
      { id: 't2', name: 'token t2', createdAt: '2026-01-02T00:00:00.000Z', lastUsedAt: null },
    ]);
  });

  it('records when a token was last used', async () => {
    await accounts.createApiToken(token('t1', '2026-01-01T00:00:00.000Z'));
    await accounts.touchApiToken('t1', '2026-01-09T12:00:00.000Z');
    expect((await accounts.listApiTokens('user-camille'))[0].lastUsedAt).toBe('2026-01-09T12:00:00.000Z');
  });

  it('deletes a token only for its owner', async () => {
    await accounts.createApiToken(token('t1', '2026-01-01T00:00:00.000Z'));
    expect(await accounts.deleteApiToken('user-other', 't1')).toBe(false);
    expect(await accounts.findApiToken('hash-t1')).toEqual({ id: 't1', userId: 'user-camille' });

    expect(await accounts.deleteApiToken('user-camille', 't1')).toBe(true);
    expect(await accounts.findApiToken('hash-t1')).toBeUndefined();
    expect(await accounts.listApiTokens('user-camille')).toEqual([]);
    expect(await accounts.deleteApiToken('user-camille', 't1')).toBe(false);
  });
});

describe('SqliteAccountStore boards', () => {
  beforeEach(async () => {
    await accounts.createUser(user());
  });

  it('creates a board and reads it back', async () => {
    const created = board('b1', '2026-01-01T00:00:00.000Z');
    await accounts.createBoard(created);
    expect(await accounts.getBoard('b1')).toEqual(created);
    expect(await accounts.getBoard('missing')).toBeUndefined();
  });

  it('lists boards by most recently updated first', async () => {
    await accounts.createBoard(board('old', '2026-01-01T00:00:00.000Z'));
    await accounts.createBoard(board('new', '2026-01-03T00:00:00.000Z'));
    await accounts.createBoard(board('mid', '2026-01-02T00:00:00.000Z'));
    expect((await accounts.listBoards()).map((listed) => listed.id)).toEqual(['new', 'mid', 'old']);
  });

  it('renames a board, bumps its updatedAt and moves it to the top of the list', async () => {
    await accounts.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
    await accounts.createBoard(board('b2', '2026-01-02T00:00:00.000Z'));

    const renamed = await accounts.renameBoard('b1', 'Erasmus+ 2026', '2026-01-05T00:00:00.000Z');
    expect(renamed).toEqual({ ...board('b1', '2026-01-05T00:00:00.000Z'), title: 'Erasmus+ 2026' });
    expect((await accounts.listBoards()).map((listed) => listed.id)).toEqual(['b1', 'b2']);
    expect(await accounts.renameBoard('missing', 'x', '2026-01-05T00:00:00.000Z')).toBeUndefined();
  });

  it('deletes a board once', async () => {
    await accounts.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
    await accounts.createBoard(board('b2', '2026-01-02T00:00:00.000Z'));
    expect(await accounts.deleteBoard('b1')).toBe(true);
    expect(await accounts.getBoard('b1')).toBeUndefined();
    expect(await accounts.deleteBoard('b1')).toBe(false);
    expect((await accounts.listBoards()).map((listed) => listed.id)).toEqual(['b2']);
  });

  it('keeps accounts and boards across reopening the database', async () => {
    await accounts.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
    await accounts.createSession('hash-1', 'user-camille', '2026-02-01T00:00:00.000Z');
    db.close();
    db = openDatabase(dataDir);
    accounts = new SqliteAccountStore(db);
    expect(await accounts.findUserById('user-camille')).toEqual(user());
    expect(await accounts.getBoard('b1')).toEqual(board('b1', '2026-01-01T00:00:00.000Z'));
    expect(await accounts.findSession('hash-1')).toMatchObject({ userId: 'user-camille' });
  });
});
