/**
 * The contract every `AccountStore` passes: each test proves one rule of the doc comments in
 * `server/src/store/account-store.ts`, or one rule the SQLite schema enforces (unique emails and
 * token hashes, references to existing people and boards, what deleting a board takes with it), or
 * the order a list comes back in. `account-store.test.ts` runs it over every implementation with a
 * factory that gives a fresh, empty store per test.
 */
import { afterEach, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import type { AppNotification, HistoryEntry } from '@passerelle/shared';
import { EmailTakenError, type AccountStore, type GuestRecord, type UserRecord } from '../../server/src/store/account-store.js';

export interface AccountStoreFixture {
  store: AccountStore;
  /** Closes the store and opens a new one over the same storage; absent for stores without durability. */
  reopen?: () => Promise<AccountStore>;
  /**
   * Opens another store over the same storage, as a second process would (the fixture closes it);
   * absent when the storage cannot be shared.
   */
  openAnother?: () => Promise<AccountStore>;
  cleanup: () => Promise<void>;
}

/** Session expiries in the future, so that no store may have let them lapse. */
const EXPIRES_FEB = '2099-02-01T00:00:00.000Z';
const EXPIRES_MAR = '2099-03-01T00:00:00.000Z';

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

const other = (): UserRecord => user({ id: 'user-other', email: 'other@example.org', name: 'Other', locale: null, departments: [] });

function board(id: string, updatedAt: string, createdBy = 'user-camille') {
  return { id, title: `Board ${id}`, createdBy, createdAt: '2026-01-01T00:00:00.000Z', updatedAt };
}

function invitation(id: string, createdAt: string) {
  return {
    id,
    tokenHash: `hash-${id}`,
    email: `${id}@example.org`,
    departments: ['research' as const, 'admissions' as const],
    isAdmin: false,
    createdBy: 'user-camille',
    createdAt,
    expiresAt: '2099-01-12T00:00:00.000Z',
    acceptedAt: null,
    revokedAt: null,
  };
}

function guestInvite(id: string, boardId: string, createdAt: string) {
  return {
    id,
    boardId,
    tokenHash: `hash-${id}`,
    role: 'commenter' as const,
    label: `Partner ${id}`,
    createdBy: 'user-camille',
    createdAt,
    expiresAt: '2099-01-12T00:00:00.000Z',
    revokedAt: null,
  };
}

function guest(id: string, inviteId: string, joinedAt: string, overrides: Partial<GuestRecord> = {}): GuestRecord {
  return { id, inviteId, name: `Guest ${id}`, organisation: 'Universidade do Porto', locale: 'en', joinedAt, revokedAt: null, ...overrides };
}

function notification(id: string, at: string, overrides: Partial<AppNotification> = {}): AppNotification {
  return {
    id,
    kind: 'mention',
    at,
    boardId: 'b1',
    boardTitle: 'Board b1',
    cardId: 'card-1',
    subject: 'Porto agreement',
    actorId: 'user-other',
    actorName: 'Other',
    excerpt: '@Camille can you check?',
    readAt: null,
    ...overrides,
  };
}

function historyEntry(cardId: string | null, subject: string, at = '2026-02-01T10:00:00.000Z'): Omit<HistoryEntry, 'id'> {
  return { at, actorId: 'user-camille', actorName: 'Camille', cardId, subjectKind: cardId ? 'card' : 'column', subject, action: 'updated', fields: ['title', 'stage'] };
}

/** Runs `attempt` `count` times at once, alternating between two stores; returns the settled results. */
async function race<T>(stores: [AccountStore, AccountStore], count: number, attempt: (store: AccountStore, index: number) => Promise<T>) {
  return Promise.allSettled(Array.from({ length: count }, (_, index) => attempt(stores[index % 2], index)));
}

export function describeAccountStoreContract(name: string, factory: () => Promise<AccountStoreFixture>): void {
  describe(`AccountStore contract: ${name}`, () => {
    let fixture: AccountStoreFixture;
    let accounts: AccountStore;

    beforeEach(async () => {
      fixture = await factory();
      accounts = fixture.store;
    });

    afterEach(async () => {
      await fixture?.cleanup();
    });

    /** Reopens the store, or skips the test for stores that cannot be reopened. */
    async function reopen(context: TestContext): Promise<void> {
      if (!fixture.reopen) {
        context.skip(`${name} has no durable storage to reopen`);
        return;
      }
      accounts = await fixture.reopen();
    }

    /** The store and a second one over the same storage, or skips the test. */
    async function twoStores(context: TestContext): Promise<[AccountStore, AccountStore]> {
      if (!fixture.openAnother) {
        context.skip(`${name} cannot be opened twice`);
        throw new Error('unreachable');
      }
      return [accounts, await fixture.openAnother()];
    }

    describe('users', () => {
      it('creates a user and finds it by email and by id with every field', async () => {
        const camille = user({ isAdmin: true, locale: 'en' });
        await accounts.createUser(camille);
        expect(await accounts.findUserByEmail('camille@example.org')).toEqual(camille);
        expect(await accounts.findUserById('user-camille')).toEqual(camille);
        expect(await accounts.countUsers()).toBe(1);
      });

      it('stores a user without a locale or departments as null and []', async () => {
        await accounts.createUser(user({ locale: null, departments: [] }));
        expect(await accounts.findUserById('user-camille')).toMatchObject({ locale: null, departments: [], deactivatedAt: null });
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
        expect(await accounts.findUserById('user-other')).toBeUndefined();
      });

      it('rejects a second account with the same id and keeps the first', async () => {
        await accounts.createUser(user());
        await expect(accounts.createUser(user({ email: 'again@example.org', name: 'Again' }))).rejects.toThrow();
        expect(await accounts.countUsers()).toBe(1);
        expect(await accounts.findUserByEmail('again@example.org')).toBeUndefined();
        expect((await accounts.findUserById('user-camille'))?.name).toBe('Camille');
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
        expect(await accounts.findUserById('user-nobody')).toBeUndefined();
      });

      it('updates departments without duplicates, the administrator flag, and sets and clears deactivation', async () => {
        await accounts.createUser(user());
        expect(await accounts.updateUser('user-camille', { departments: ['sri', 'research', 'sri'], isAdmin: true })).toMatchObject({
          departments: ['sri', 'research'],
          isAdmin: true,
        });
        expect(await accounts.updateUser('user-camille', { deactivatedAt: '2026-03-01T00:00:00.000Z' })).toMatchObject({ deactivatedAt: '2026-03-01T00:00:00.000Z' });
        expect(await accounts.updateUser('user-camille', { deactivatedAt: null, isAdmin: false })).toEqual(
          user({ departments: ['sri', 'research'], isAdmin: false, deactivatedAt: null }),
        );
        expect(await accounts.findUserByEmail('camille@example.org')).toMatchObject({ departments: ['sri', 'research'] });
      });

      it('lists users by name, in byte order as SQLite compares text, ties in creation order', async () => {
        await accounts.createUser(user({ id: 'u-z', email: 'z@example.org', name: 'Zoé' }));
        await accounts.createUser(user({ id: 'u-a', email: 'a@example.org', name: 'Aline' }));
        await accounts.createUser(user({ id: 'u-e', email: 'e@example.org', name: 'Élodie' }));
        await accounts.createUser(user({ id: 'u-same-2', email: 's2@example.org', name: 'Sam' }));
        await accounts.createUser(user({ id: 'u-same-1', email: 's1@example.org', name: 'Sam' }));
        await accounts.createUser(user({ id: 'u-lower', email: 'l@example.org', name: 'aline' }));
        expect((await accounts.listUsers()).map((listed) => listed.id)).toEqual(['u-a', 'u-same-2', 'u-same-1', 'u-z', 'u-lower', 'u-e']);
      });
    });

    describe('sessions', () => {
      beforeEach(async () => {
        await accounts.createUser(user());
        await accounts.createUser(other());
      });

      it('finds a session by its token hash until it is deleted', async () => {
        await accounts.createSession('hash-1', 'user-camille', EXPIRES_FEB);
        await accounts.createSession('hash-2', 'user-camille', EXPIRES_MAR);
        expect(await accounts.findSession('hash-1')).toEqual({ userId: 'user-camille', expiresAt: EXPIRES_FEB });

        await accounts.deleteSession('hash-1');
        expect(await accounts.findSession('hash-1')).toBeUndefined();
        expect(await accounts.findSession('hash-2')).toEqual({ userId: 'user-camille', expiresAt: EXPIRES_MAR });
        await accounts.deleteSession('hash-1');
      });

      it('finds no session for an unknown hash', async () => {
        expect(await accounts.findSession('unknown')).toBeUndefined();
      });

      it('refuses a session for a user that does not exist', async () => {
        await expect(accounts.createSession('hash-x', 'user-nobody', EXPIRES_FEB)).rejects.toThrow(/FOREIGN KEY/);
        expect(await accounts.findSession('hash-x')).toBeUndefined();
      });

      it('refuses a second session with the same token hash and keeps the first', async () => {
        await accounts.createSession('hash-1', 'user-camille', EXPIRES_FEB);
        await expect(accounts.createSession('hash-1', 'user-other', EXPIRES_MAR)).rejects.toThrow();
        expect(await accounts.findSession('hash-1')).toEqual({ userId: 'user-camille', expiresAt: EXPIRES_FEB });
      });

      it('ends every session of one person, and only theirs', async () => {
        await accounts.createSession('hash-1', 'user-camille', EXPIRES_FEB);
        await accounts.createSession('hash-2', 'user-camille', EXPIRES_MAR);
        await accounts.createSession('hash-3', 'user-other', EXPIRES_FEB);
        await accounts.deleteSessionsOf('user-camille');
        expect(await accounts.findSession('hash-1')).toBeUndefined();
        expect(await accounts.findSession('hash-2')).toBeUndefined();
        expect(await accounts.findSession('hash-3')).toEqual({ userId: 'user-other', expiresAt: EXPIRES_FEB });

        // A session opened after still works.
        await accounts.createSession('hash-4', 'user-camille', EXPIRES_FEB);
        expect(await accounts.findSession('hash-4')).toMatchObject({ userId: 'user-camille' });
      });
    });

    describe('API tokens', () => {
      beforeEach(async () => {
        await accounts.createUser(user());
        await accounts.createUser(other());
      });

      const token = (id: string, createdAt: string, userId = 'user-camille') => ({ id, userId, name: `token ${id}`, tokenHash: `hash-${id}`, createdAt });

      it('finds a token by hash and lists its owner’s tokens in creation order', async () => {
        await accounts.createApiToken(token('t2', '2026-01-02T00:00:00.000Z'));
        await accounts.createApiToken(token('t1', '2026-01-01T00:00:00.000Z'));
        await accounts.createApiToken(token('t3', '2026-01-03T00:00:00.000Z', 'user-other'));
        await accounts.createApiToken(token('t0', '2026-01-02T00:00:00.000Z'));

        expect(await accounts.findApiToken('hash-t1')).toEqual({ id: 't1', userId: 'user-camille' });
        expect(await accounts.findApiToken('hash-unknown')).toBeUndefined();
        expect(await accounts.listApiTokens('user-camille')).toEqual([
          { id: 't1', name: 'token t1', createdAt: '2026-01-01T00:00:00.000Z', lastUsedAt: null },
          { id: 't2', name: 'token t2', createdAt: '2026-01-02T00:00:00.000Z', lastUsedAt: null },
          { id: 't0', name: 'token t0', createdAt: '2026-01-02T00:00:00.000Z', lastUsedAt: null },
        ]);
      });

      it('records when a token was last used', async () => {
        await accounts.createApiToken(token('t1', '2026-01-01T00:00:00.000Z'));
        await accounts.touchApiToken('t1', '2026-01-09T12:00:00.000Z');
        await accounts.touchApiToken('t-unknown', '2026-01-09T12:00:00.000Z');
        expect((await accounts.listApiTokens('user-camille'))[0].lastUsedAt).toBe('2026-01-09T12:00:00.000Z');
        expect(await accounts.findApiToken('hash-t-unknown')).toBeUndefined();
      });

      it('refuses a token with a hash that is taken, or for a user that does not exist', async () => {
        await accounts.createApiToken(token('t1', '2026-01-01T00:00:00.000Z'));
        await expect(accounts.createApiToken({ ...token('t2', '2026-01-02T00:00:00.000Z'), tokenHash: 'hash-t1' })).rejects.toThrow();
        await expect(accounts.createApiToken(token('t3', '2026-01-02T00:00:00.000Z', 'user-nobody'))).rejects.toThrow(/FOREIGN KEY/);
        expect(await accounts.findApiToken('hash-t1')).toEqual({ id: 't1', userId: 'user-camille' });
        expect((await accounts.listApiTokens('user-camille')).map((listed) => listed.id)).toEqual(['t1']);
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

    describe('boards', () => {
      beforeEach(async () => {
        await accounts.createUser(user());
      });

      it('creates a board and reads it back', async () => {
        const created = board('b1', '2026-01-01T00:00:00.000Z');
        await accounts.createBoard(created);
        expect(await accounts.getBoard('b1')).toEqual(created);
        expect(await accounts.getBoard('missing')).toBeUndefined();
      });

      it('refuses a board whose id is taken, or whose creator does not exist', async () => {
        await accounts.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
        await expect(accounts.createBoard({ ...board('b1', '2026-01-02T00:00:00.000Z'), title: 'Again' })).rejects.toThrow();
        await expect(accounts.createBoard(board('b2', '2026-01-01T00:00:00.000Z', 'user-nobody'))).rejects.toThrow(/FOREIGN KEY/);
        expect(await accounts.getBoard('b1')).toEqual(board('b1', '2026-01-01T00:00:00.000Z'));
        expect((await accounts.listBoards()).map((listed) => listed.id)).toEqual(['b1']);
      });

      it('lists boards by most recently updated first, ties in creation order', async () => {
        await accounts.createBoard(board('old', '2026-01-01T00:00:00.000Z'));
        await accounts.createBoard(board('new', '2026-01-03T00:00:00.000Z'));
        await accounts.createBoard(board('mid-2', '2026-01-02T00:00:00.000Z'));
        await accounts.createBoard(board('mid-1', '2026-01-02T00:00:00.000Z'));
        expect((await accounts.listBoards()).map((listed) => listed.id)).toEqual(['new', 'mid-2', 'mid-1', 'old']);
      });

      it('renames a board, bumps its updatedAt and moves it to the top of the list', async () => {
        await accounts.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
        await accounts.createBoard(board('b2', '2026-01-02T00:00:00.000Z'));

        const renamed = await accounts.renameBoard('b1', 'Erasmus+ 2026', '2026-01-05T00:00:00.000Z');
        expect(renamed).toEqual({ ...board('b1', '2026-01-05T00:00:00.000Z'), title: 'Erasmus+ 2026' });
        expect((await accounts.listBoards()).map((listed) => listed.id)).toEqual(['b1', 'b2']);
        expect(await accounts.renameBoard('missing', 'x', '2026-01-05T00:00:00.000Z')).toBeUndefined();
        expect(await accounts.getBoard('missing')).toBeUndefined();
      });

      it('deletes a board once', async () => {
        await accounts.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
        await accounts.createBoard(board('b2', '2026-01-02T00:00:00.000Z'));
        expect(await accounts.deleteBoard('b1')).toBe(true);
        expect(await accounts.getBoard('b1')).toBeUndefined();
        expect(await accounts.deleteBoard('b1')).toBe(false);
        expect((await accounts.listBoards()).map((listed) => listed.id)).toEqual(['b2']);
      });
    });

    describe('board access', () => {
      beforeEach(async () => {
        await accounts.createUser(user());
        await accounts.createUser(other());
        await accounts.createUser(user({ id: 'user-alix', email: 'alix@example.org', name: 'Alix' }));
        await accounts.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
        await accounts.createBoard(board('b2', '2026-01-02T00:00:00.000Z'));
      });

      it('opens a new board to every member as an editor, with no explicit members', async () => {
        expect(await accounts.getBoardAccess('b1')).toEqual({ workspaceAccess: 'editor', members: [] });
        expect(await accounts.getBoardAccess('missing')).toBeUndefined();
      });

      it('changes the workspace default of one board, and of no board that does not exist', async () => {
        await accounts.setWorkspaceAccess('b1', 'none');
        await accounts.setWorkspaceAccess('missing', 'viewer');
        expect(await accounts.getBoardAccess('b1')).toMatchObject({ workspaceAccess: 'none' });
        expect(await accounts.getBoardAccess('b2')).toMatchObject({ workspaceAccess: 'editor' });
        expect(await accounts.getBoardAccess('missing')).toBeUndefined();
        expect(await accounts.getBoard('missing')).toBeUndefined();
      });

      it('reads the workspace access of several boards at once, leaving out the ones that do not exist', async () => {
        await accounts.setWorkspaceAccess('b2', 'viewer');
        const access = await accounts.workspaceAccessOf(['b2', 'missing', 'b1']);
        expect(Object.fromEntries(access)).toEqual({ b1: 'editor', b2: 'viewer' });
        expect((await accounts.workspaceAccessOf([])).size).toBe(0);
        await accounts.deleteBoard('b1');
        expect([...(await accounts.workspaceAccessOf(['b1', 'b2'])).keys()]).toEqual(['b2']);
      });

      it('sets, changes and removes explicit roles, listed by user id, and each person’s roles by board', async () => {
        await accounts.setBoardMember('b1', 'user-other', 'viewer');
        await accounts.setBoardMember('b1', 'user-camille', 'owner');
        await accounts.setBoardMember('b1', 'user-alix', 'commenter');
        await accounts.setBoardMember('b2', 'user-other', 'editor');
        await accounts.setBoardMember('b1', 'user-other', 'editor');
        expect(await accounts.getBoardAccess('b1')).toEqual({
          workspaceAccess: 'editor',
          members: [
            { userId: 'user-alix', role: 'commenter' },
            { userId: 'user-camille', role: 'owner' },
            { userId: 'user-other', role: 'editor' },
          ],
        });
        expect(await accounts.boardRolesOf('user-other')).toEqual(new Map([['b1', 'editor'], ['b2', 'editor']]));

        await accounts.setBoardMember('b1', 'user-other', null);
        await accounts.setBoardMember('b1', 'user-nobody', null);
        expect((await accounts.getBoardAccess('b1'))?.members.map((member) => member.userId)).toEqual(['user-alix', 'user-camille']);
        expect(await accounts.boardRolesOf('user-other')).toEqual(new Map([['b2', 'editor']]));
        expect(await accounts.boardRolesOf('user-nobody')).toEqual(new Map());
      });

      it('refuses a role on a board or for a person that does not exist', async () => {
        await expect(accounts.setBoardMember('missing', 'user-other', 'editor')).rejects.toThrow(/FOREIGN KEY/);
        await expect(accounts.setBoardMember('b1', 'user-nobody', 'editor')).rejects.toThrow(/FOREIGN KEY/);
        expect(await accounts.getBoardAccess('b1')).toEqual({ workspaceAccess: 'editor', members: [] });
        expect(await accounts.boardRolesOf('user-other')).toEqual(new Map());
      });

      it('deleting a board removes its roles, its guest invites, their guests and the guests’ sessions, and keeps its history', async () => {
        await accounts.setBoardMember('b1', 'user-other', 'viewer');
        await accounts.setBoardMember('b2', 'user-other', 'editor');
        await accounts.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'));
        await accounts.createGuestInvite(guestInvite('gi-2', 'b2', '2026-01-03T00:00:00.000Z'));
        await accounts.createGuest(guest('g-1', 'gi-1', '2026-01-04T00:00:00.000Z'));
        await accounts.createGuest(guest('g-2', 'gi-2', '2026-01-04T00:00:00.000Z'));
        await accounts.createGuestSession('guest-hash-1', 'g-1');
        await accounts.createGuestSession('guest-hash-2', 'g-2');
        await accounts.appendHistory('b1', [historyEntry('card-1', 'Porto')]);

        expect(await accounts.deleteBoard('b1')).toBe(true);

        expect(await accounts.getBoardAccess('b1')).toBeUndefined();
        expect(await accounts.boardRolesOf('user-other')).toEqual(new Map([['b2', 'editor']]));
        expect(await accounts.getGuestInvite('gi-1')).toBeUndefined();
        expect(await accounts.findGuestInviteByToken('hash-gi-1')).toBeUndefined();
        expect(await accounts.listGuestInvites('b1')).toEqual([]);
        expect(await accounts.getGuest('g-1')).toBeUndefined();
        expect(await accounts.listGuests('b1')).toEqual([]);
        expect(await accounts.findGuestSession('guest-hash-1')).toBeUndefined();
        expect((await accounts.listHistory('b1', { limit: 10 })).map((entry) => entry.subject)).toEqual(['Porto']);
        // The other board keeps everything.
        expect(await accounts.getGuestInvite('gi-2')).toMatchObject({ guestCount: 1 });
        expect(await accounts.findGuestSession('guest-hash-2')).toEqual({ guestId: 'g-2' });

        // A board created again under the same id starts with nothing of the old one.
        await accounts.createBoard(board('b1', '2026-01-05T00:00:00.000Z'));
        expect(await accounts.getBoardAccess('b1')).toEqual({ workspaceAccess: 'editor', members: [] });
        expect(await accounts.listGuestInvites('b1')).toEqual([]);
      });
    });

    describe('member invitations', () => {
      beforeEach(async () => {
        await accounts.createUser(user());
      });

      it('finds an invitation by its token hash with its creator’s current name', async () => {
        await accounts.createInvitation(invitation('inv-1', '2026-01-05T00:00:00.000Z'));
        expect(await accounts.findInvitationByToken('hash-inv-1')).toEqual({ ...invitation('inv-1', '2026-01-05T00:00:00.000Z'), createdByName: 'Camille' });
        await accounts.updateUser('user-camille', { name: 'Camille M.' });
        expect(await accounts.findInvitationByToken('hash-inv-1')).toMatchObject({ createdByName: 'Camille M.' });
        expect(await accounts.findInvitationByToken('hash-unknown')).toBeUndefined();
      });

      it('lists invitations newest first, ties in creation order', async () => {
        await accounts.createInvitation(invitation('inv-old', '2026-01-01T00:00:00.000Z'));
        await accounts.createInvitation(invitation('inv-new', '2026-01-03T00:00:00.000Z'));
        await accounts.createInvitation(invitation('inv-mid-2', '2026-01-02T00:00:00.000Z'));
        await accounts.createInvitation(invitation('inv-mid-1', '2026-01-02T00:00:00.000Z'));
        expect((await accounts.listInvitations()).map((listed) => listed.id)).toEqual(['inv-new', 'inv-mid-2', 'inv-mid-1', 'inv-old']);
      });

      it('refuses an invitation whose token hash is taken, or from someone who does not exist', async () => {
        await accounts.createInvitation(invitation('inv-1', '2026-01-01T00:00:00.000Z'));
        await expect(accounts.createInvitation({ ...invitation('inv-2', '2026-01-01T00:00:00.000Z'), tokenHash: 'hash-inv-1' })).rejects.toThrow();
        await expect(accounts.createInvitation({ ...invitation('inv-3', '2026-01-01T00:00:00.000Z'), createdBy: 'user-nobody' })).rejects.toThrow(/FOREIGN KEY/);
        expect((await accounts.listInvitations()).map((listed) => listed.id)).toEqual(['inv-1']);
      });

      it('accepts an invitation once, and never once revoked', async () => {
        await accounts.createInvitation(invitation('inv-1', '2026-01-01T00:00:00.000Z'));
        await accounts.createInvitation(invitation('inv-2', '2026-01-01T00:00:00.000Z'));
        expect(await accounts.acceptInvitation('inv-1', '2026-01-02T00:00:00.000Z')).toBe(true);
        expect(await accounts.acceptInvitation('inv-1', '2026-01-03T00:00:00.000Z')).toBe(false);
        expect(await accounts.revokeInvitation('inv-1', '2026-01-03T00:00:00.000Z')).toBe(false);
        expect(await accounts.findInvitationByToken('hash-inv-1')).toMatchObject({ acceptedAt: '2026-01-02T00:00:00.000Z', revokedAt: null });

        expect(await accounts.revokeInvitation('inv-2', '2026-01-02T00:00:00.000Z')).toBe(true);
        expect(await accounts.revokeInvitation('inv-2', '2026-01-03T00:00:00.000Z')).toBe(false);
        expect(await accounts.acceptInvitation('inv-2', '2026-01-03T00:00:00.000Z')).toBe(false);
        expect(await accounts.findInvitationByToken('hash-inv-2')).toMatchObject({ acceptedAt: null, revokedAt: '2026-01-02T00:00:00.000Z' });

        expect(await accounts.acceptInvitation('inv-unknown', '2026-01-03T00:00:00.000Z')).toBe(false);
        expect(await accounts.revokeInvitation('inv-unknown', '2026-01-03T00:00:00.000Z')).toBe(false);
      });
    });

    describe('partner guests', () => {
      beforeEach(async () => {
        await accounts.createUser(user());
        await accounts.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
        await accounts.createBoard(board('b2', '2026-01-01T00:00:00.000Z'));
      });

      it('finds a guest invite by id and by token hash, with its creator’s name and how many joined', async () => {
        await accounts.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'));
        const expected = { ...guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'), createdByName: 'Camille', guestCount: 0 };
        expect(await accounts.getGuestInvite('gi-1')).toEqual(expected);
        expect(await accounts.findGuestInviteByToken('hash-gi-1')).toEqual(expected);
        expect(await accounts.getGuestInvite('gi-unknown')).toBeUndefined();
        expect(await accounts.findGuestInviteByToken('hash-unknown')).toBeUndefined();

        await accounts.createGuest(guest('g-1', 'gi-1', '2026-01-04T00:00:00.000Z'));
        await accounts.createGuest(guest('g-2', 'gi-1', '2026-01-05T00:00:00.000Z'));
        expect(await accounts.getGuestInvite('gi-1')).toMatchObject({ guestCount: 2 });
      });

      it('refuses a guest invite for a board that does not exist, or whose token hash is taken', async () => {
        await accounts.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'));
        await expect(accounts.createGuestInvite(guestInvite('gi-2', 'missing', '2026-01-03T00:00:00.000Z'))).rejects.toThrow(/FOREIGN KEY/);
        await expect(accounts.createGuestInvite({ ...guestInvite('gi-3', 'b1', '2026-01-03T00:00:00.000Z'), tokenHash: 'hash-gi-1' })).rejects.toThrow();
        expect((await accounts.listGuestInvites('b1')).map((listed) => listed.id)).toEqual(['gi-1']);
        expect(await accounts.getGuestInvite('gi-2')).toBeUndefined();
      });

      it('lists a board’s guest invites newest first, ties in creation order, and no other board’s', async () => {
        await accounts.createGuestInvite(guestInvite('gi-old', 'b1', '2026-01-01T00:00:00.000Z'));
        await accounts.createGuestInvite(guestInvite('gi-new', 'b1', '2026-01-03T00:00:00.000Z'));
        await accounts.createGuestInvite(guestInvite('gi-mid-2', 'b1', '2026-01-02T00:00:00.000Z'));
        await accounts.createGuestInvite(guestInvite('gi-mid-1', 'b1', '2026-01-02T00:00:00.000Z'));
        await accounts.createGuestInvite(guestInvite('gi-other', 'b2', '2026-01-02T00:00:00.000Z'));
        expect((await accounts.listGuestInvites('b1')).map((listed) => listed.id)).toEqual(['gi-new', 'gi-mid-2', 'gi-mid-1', 'gi-old']);
        expect(await accounts.listGuestInvites('missing')).toEqual([]);
      });

      it('revokes a guest invite and a guest once each', async () => {
        await accounts.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'));
        await accounts.createGuest(guest('g-1', 'gi-1', '2026-01-04T00:00:00.000Z'));
        expect(await accounts.revokeGuestInvite('gi-1', '2026-01-05T00:00:00.000Z')).toBe(true);
        expect(await accounts.revokeGuestInvite('gi-1', '2026-01-06T00:00:00.000Z')).toBe(false);
        expect(await accounts.getGuestInvite('gi-1')).toMatchObject({ revokedAt: '2026-01-05T00:00:00.000Z' });
        expect(await accounts.revokeGuest('g-1', '2026-01-05T00:00:00.000Z')).toBe(true);
        expect(await accounts.revokeGuest('g-1', '2026-01-06T00:00:00.000Z')).toBe(false);
        expect(await accounts.getGuest('g-1')).toEqual(guest('g-1', 'gi-1', '2026-01-04T00:00:00.000Z', { revokedAt: '2026-01-05T00:00:00.000Z' }));
        expect(await accounts.revokeGuestInvite('gi-unknown', '2026-01-06T00:00:00.000Z')).toBe(false);
        expect(await accounts.revokeGuest('g-unknown', '2026-01-06T00:00:00.000Z')).toBe(false);
      });

      it('stores a guest with every field, nulls included, and refuses one for an invite that does not exist', async () => {
        await accounts.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'));
        const anonymous = guest('g-1', 'gi-1', '2026-01-04T00:00:00.000Z', { organisation: null, locale: null });
        await accounts.createGuest(anonymous);
        expect(await accounts.getGuest('g-1')).toEqual(anonymous);
        expect(await accounts.getGuest('g-unknown')).toBeUndefined();
        await expect(accounts.createGuest(guest('g-2', 'gi-unknown', '2026-01-04T00:00:00.000Z'))).rejects.toThrow(/FOREIGN KEY/);
        expect(await accounts.getGuest('g-2')).toBeUndefined();
      });

      it('lists a board’s guests across its invites, newest first, ties invite by invite', async () => {
        await accounts.createGuestInvite(guestInvite('gi-3', 'b1', '2026-01-03T00:00:00.000Z'));
        await accounts.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'));
        await accounts.createGuestInvite(guestInvite('gi-2', 'b1', '2026-01-03T00:00:00.000Z'));
        await accounts.createGuestInvite(guestInvite('gi-other', 'b2', '2026-01-03T00:00:00.000Z'));
        await accounts.createGuest(guest('q3', 'gi-2', '2026-01-04T00:00:00.000Z'));
        await accounts.createGuest(guest('q1', 'gi-1', '2026-01-04T00:00:00.000Z'));
        await accounts.createGuest(guest('q2', 'gi-3', '2026-01-04T00:00:00.000Z'));
        await accounts.createGuest(guest('q0', 'gi-1', '2026-01-04T00:00:00.000Z'));
        await accounts.createGuest(guest('q-latest', 'gi-2', '2026-01-09T00:00:00.000Z'));
        await accounts.createGuest(guest('q-other', 'gi-other', '2026-01-09T00:00:00.000Z'));
        expect((await accounts.listGuests('b1')).map((listed) => listed.id)).toEqual(['q-latest', 'q2', 'q1', 'q0', 'q3']);
      });

      it('finds a guest session until it is deleted, and refuses one for a guest who does not exist', async () => {
        await accounts.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'));
        await accounts.createGuest(guest('g-1', 'gi-1', '2026-01-04T00:00:00.000Z'));
        await accounts.createGuestSession('guest-hash-1', 'g-1');
        expect(await accounts.findGuestSession('guest-hash-1')).toEqual({ guestId: 'g-1' });
        expect(await accounts.findGuestSession('unknown')).toBeUndefined();
        await expect(accounts.createGuestSession('guest-hash-2', 'g-unknown')).rejects.toThrow(/FOREIGN KEY/);

        await accounts.deleteGuestSession('guest-hash-1');
        expect(await accounts.findGuestSession('guest-hash-1')).toBeUndefined();
        await accounts.deleteGuestSession('guest-hash-1');
      });
    });

    describe('audit log', () => {
      it('lists events newest first with every field, by type, and pages with `before`', async () => {
        await accounts.recordAudit({ type: 'login_succeeded', actorId: 'user-camille', actorName: 'Camille', target: 'camille@example.org', details: {}, ip: '127.0.0.1', at: '2026-01-01T00:00:00.000Z' });
        await accounts.recordAudit({ type: 'login_failed', actorId: null, actorName: null, target: 'nobody@example.org', details: { reason: 'unknown', attempt: 2, locked: false, extra: null }, ip: null });
        await accounts.recordAudit({ type: 'login_succeeded', actorId: 'user-other', actorName: 'Other', target: null, details: {}, ip: '::1', at: '2026-01-03T00:00:00.000Z' });
        await accounts.recordAudit({ type: 'export', actorId: 'user-camille', actorName: 'Camille', target: null, details: { boards: 3 }, ip: null, at: '2026-01-04T00:00:00.000Z' });

        const all = await accounts.listAudit({ limit: 10 });
        expect(all.map((event) => event.type)).toEqual(['export', 'login_succeeded', 'login_failed', 'login_succeeded']);
        const ids = all.map((event) => event.id);
        expect([...ids].sort((a, b) => b - a)).toEqual(ids);
        expect(new Set(ids).size).toBe(4);
        expect(all[3]).toEqual({ id: ids[3], type: 'login_succeeded', actorId: 'user-camille', actorName: 'Camille', target: 'camille@example.org', details: {}, ip: '127.0.0.1', at: '2026-01-01T00:00:00.000Z' });
        expect(all[2]).toMatchObject({ actorId: null, actorName: null, ip: null, details: { reason: 'unknown', attempt: 2, locked: false, extra: null } });
        // Without `at`, the store stamps the event with the time of recording.
        expect(Date.parse(all[2].at)).toBeGreaterThan(Date.parse('2026-01-01T00:00:00.000Z'));

        expect((await accounts.listAudit({ limit: 2 })).map((event) => event.id)).toEqual(ids.slice(0, 2));
        expect((await accounts.listAudit({ limit: 2, before: ids[1] })).map((event) => event.id)).toEqual(ids.slice(2, 4));
        expect((await accounts.listAudit({ limit: 10, type: 'login_succeeded' })).map((event) => event.id)).toEqual([ids[1], ids[3]]);
        expect((await accounts.listAudit({ limit: 10, type: 'login_succeeded', before: ids[1] })).map((event) => event.id)).toEqual([ids[3]]);
        expect(await accounts.listAudit({ limit: 10, type: 'logout' })).toEqual([]);
        expect(await accounts.listAudit({ limit: 10, before: ids[3] })).toEqual([]);
      });
    });

    describe('notifications', () => {
      beforeEach(async () => {
        await accounts.createUser(user());
        await accounts.createUser(other());
      });

      it('lists a person’s notifications newest first with every field, ties by id, up to the limit', async () => {
        await accounts.createNotification('user-camille', notification('n-b', '2026-01-01T00:00:00.000Z'));
        await accounts.createNotification('user-camille', notification('n-c', '2026-01-02T00:00:00.000Z', { kind: 'sign_off_request', cardId: null, actorId: null, actorName: null }));
        await accounts.createNotification('user-camille', notification('n-a', '2026-01-02T00:00:00.000Z'));
        await accounts.createNotification('user-camille', notification('n-b2', '2026-01-02T00:00:00.000Z', { readAt: '2026-01-02T01:00:00.000Z' }));
        await accounts.createNotification('user-camille', notification('n-z', '2026-01-03T00:00:00.000Z', { kind: 'assignment' }));
        await accounts.createNotification('user-other', notification('n-other', '2026-01-04T00:00:00.000Z'));

        expect((await accounts.listNotifications('user-camille', 10)).map((listed) => listed.id)).toEqual(['n-z', 'n-a', 'n-b2', 'n-c', 'n-b']);
        // The limit cuts into the notifications of one instant: the first ones by id are kept.
        expect((await accounts.listNotifications('user-camille', 3)).map((listed) => listed.id)).toEqual(['n-z', 'n-a', 'n-b2']);
        expect((await accounts.listNotifications('user-camille', 1)).map((listed) => listed.id)).toEqual(['n-z']);
        const listed = await accounts.listNotifications('user-camille', 10);
        expect(listed.find((n) => n.id === 'n-c')).toEqual(notification('n-c', '2026-01-02T00:00:00.000Z', { kind: 'sign_off_request', cardId: null, actorId: null, actorName: null }));
        expect(listed.find((n) => n.id === 'n-b2')).toEqual(notification('n-b2', '2026-01-02T00:00:00.000Z', { readAt: '2026-01-02T01:00:00.000Z' }));
        expect(await accounts.listNotifications('user-nobody', 10)).toEqual([]);
      });

      it('refuses a notification for a person who does not exist, or whose id is taken', async () => {
        await accounts.createNotification('user-camille', notification('n-1', '2026-01-01T00:00:00.000Z'));
        await expect(accounts.createNotification('user-nobody', notification('n-2', '2026-01-01T00:00:00.000Z'))).rejects.toThrow(/FOREIGN KEY/);
        await expect(accounts.createNotification('user-other', notification('n-1', '2026-01-02T00:00:00.000Z'))).rejects.toThrow();
        expect(await accounts.listNotifications('user-other', 10)).toEqual([]);
        expect(await accounts.countUnreadNotifications('user-camille')).toBe(1);
      });

      it('counts unread notifications and marks some, then all, of one person’s read', async () => {
        for (const id of ['n-1', 'n-2', 'n-3']) await accounts.createNotification('user-camille', notification(id, '2026-01-01T00:00:00.000Z'));
        await accounts.createNotification('user-other', notification('n-other', '2026-01-01T00:00:00.000Z'));
        expect(await accounts.countUnreadNotifications('user-camille')).toBe(3);

        // Another person's id, an unknown one and an empty list change nothing.
        await accounts.markNotificationsRead('user-camille', ['n-1', 'n-other', 'n-unknown'], '2026-01-05T00:00:00.000Z');
        await accounts.markNotificationsRead('user-camille', [], '2026-01-05T00:00:00.000Z');
        expect(await accounts.countUnreadNotifications('user-camille')).toBe(2);
        expect(await accounts.countUnreadNotifications('user-other')).toBe(1);
        // Marking read again keeps the first time.
        await accounts.markNotificationsRead('user-camille', ['n-1'], '2026-01-06T00:00:00.000Z');

        await accounts.markNotificationsRead('user-camille', null, '2026-01-07T00:00:00.000Z');
        expect(await accounts.countUnreadNotifications('user-camille')).toBe(0);
        expect(await accounts.countUnreadNotifications('user-other')).toBe(1);
        const readAt = Object.fromEntries((await accounts.listNotifications('user-camille', 10)).map((n) => [n.id, n.readAt]));
        expect(readAt).toEqual({ 'n-1': '2026-01-05T00:00:00.000Z', 'n-2': '2026-01-07T00:00:00.000Z', 'n-3': '2026-01-07T00:00:00.000Z' });
      });
    });

    describe('board history', () => {
      it('lists a board’s entries newest first with every field, by card, and pages with `before`', async () => {
        await accounts.appendHistory('b1', [historyEntry('card-1', 'Porto'), historyEntry(null, 'Partenaires')]);
        await accounts.appendHistory('b2', [historyEntry('card-1', 'Elsewhere')]);
        await accounts.appendHistory('b1', [historyEntry('card-2', 'Dortmund'), historyEntry('card-1', 'Porto renamed', '2026-02-02T10:00:00.000Z')]);
        await accounts.appendHistory('b1', []);

        const all = await accounts.listHistory('b1', { limit: 10 });
        expect(all.map((entry) => entry.subject)).toEqual(['Porto renamed', 'Dortmund', 'Partenaires', 'Porto']);
        const ids = all.map((entry) => entry.id);
        expect([...ids].sort((a, b) => b - a)).toEqual(ids);
        expect(all[0]).toEqual({ id: ids[0], ...historyEntry('card-1', 'Porto renamed', '2026-02-02T10:00:00.000Z') });
        expect(all[2]).toEqual({ id: ids[2], ...historyEntry(null, 'Partenaires') });

        expect((await accounts.listHistory('b1', { cardId: 'card-1', limit: 10 })).map((entry) => entry.subject)).toEqual(['Porto renamed', 'Porto']);
        expect((await accounts.listHistory('b1', { limit: 2 })).map((entry) => entry.id)).toEqual(ids.slice(0, 2));
        expect((await accounts.listHistory('b1', { limit: 2, before: ids[1] })).map((entry) => entry.id)).toEqual(ids.slice(2, 4));
        expect((await accounts.listHistory('b1', { cardId: 'card-1', limit: 10, before: ids[0] })).map((entry) => entry.subject)).toEqual(['Porto']);
        expect(await accounts.listHistory('b1', { cardId: 'card-unknown', limit: 10 })).toEqual([]);
        expect((await accounts.listHistory('b2', { limit: 10 })).map((entry) => entry.subject)).toEqual(['Elsewhere']);
        expect(await accounts.listHistory('b3', { limit: 10 })).toEqual([]);
      });
    });

    describe('durability', () => {
      it('keeps accounts, sessions, boards, access, invitations, guests, audit, notifications and history across reopening', async (context) => {
        await accounts.createUser(user());
        await accounts.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
        await accounts.setBoardMember('b1', 'user-camille', 'owner');
        await accounts.createSession('hash-1', 'user-camille', EXPIRES_FEB);
        await accounts.createApiToken({ id: 't1', userId: 'user-camille', name: 'CI', tokenHash: 'hash-t1', createdAt: '2026-01-01T00:00:00.000Z' });
        await accounts.createInvitation(invitation('inv-1', '2026-01-01T00:00:00.000Z'));
        await accounts.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-01T00:00:00.000Z'));
        await accounts.createGuest(guest('g-1', 'gi-1', '2026-01-02T00:00:00.000Z'));
        await accounts.createGuestSession('guest-hash-1', 'g-1');
        await accounts.recordAudit({ type: 'login_succeeded', actorId: 'user-camille', actorName: 'Camille', target: null, details: {}, ip: null });
        await accounts.createNotification('user-camille', notification('n-1', '2026-01-01T00:00:00.000Z'));
        await accounts.appendHistory('b1', [historyEntry('card-1', 'Porto')]);

        await reopen(context);

        expect(await accounts.findUserById('user-camille')).toEqual(user());
        expect(await accounts.findUserByEmail('camille@example.org')).toEqual(user());
        expect(await accounts.getBoard('b1')).toEqual(board('b1', '2026-01-01T00:00:00.000Z'));
        expect(await accounts.boardRolesOf('user-camille')).toEqual(new Map([['b1', 'owner']]));
        expect(await accounts.findSession('hash-1')).toEqual({ userId: 'user-camille', expiresAt: EXPIRES_FEB });
        expect(await accounts.findApiToken('hash-t1')).toEqual({ id: 't1', userId: 'user-camille' });
        expect(await accounts.findInvitationByToken('hash-inv-1')).toMatchObject({ id: 'inv-1', createdByName: 'Camille' });
        expect(await accounts.getGuestInvite('gi-1')).toMatchObject({ guestCount: 1 });
        expect(await accounts.findGuestSession('guest-hash-1')).toEqual({ guestId: 'g-1' });
        expect((await accounts.listAudit({ limit: 10 })).map((event) => event.type)).toEqual(['login_succeeded']);
        expect(await accounts.countUnreadNotifications('user-camille')).toBe(1);
        expect((await accounts.listHistory('b1', { limit: 10 })).map((entry) => entry.subject)).toEqual(['Porto']);
        // Uniqueness survives too.
        await expect(accounts.createUser(user({ id: 'user-again' }))).rejects.toBeInstanceOf(EmailTakenError);
        expect(await accounts.createFirstUser(user({ id: 'user-first', email: 'first@example.org' }))).toBe(false);
      });
    });

    describe('two stores over the same storage (two processes)', () => {
      it('sees what the other wrote at once', async (context) => {
        const [first, second] = await twoStores(context);
        await first.createUser(user());
        await first.createSession('hash-1', 'user-camille', EXPIRES_FEB);
        expect(await second.findSession('hash-1')).toEqual({ userId: 'user-camille', expiresAt: EXPIRES_FEB });
        await second.deleteSession('hash-1');
        expect(await first.findSession('hash-1')).toBeUndefined();
      });

      it('creates exactly one account when both create the same email at once', async (context) => {
        const stores = await twoStores(context);
        const results = await race(stores, 10, (store, index) => store.createUser(user({ id: `user-${index}`, name: `Person ${index}` })));
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        for (const result of results) {
          if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(EmailTakenError);
        }
        expect(await stores[1].countUsers()).toBe(1);
        const winner = results.findIndex((result) => result.status === 'fulfilled');
        expect((await stores[0].findUserByEmail('camille@example.org'))?.id).toBe(`user-${winner}`);
        expect(await stores[1].listUsers()).toHaveLength(1);
      });

      it('creates exactly one first administrator when both set up at once', async (context) => {
        const stores = await twoStores(context);
        const results = await race(stores, 10, (store, index) =>
          store.createFirstUser(user({ id: `user-admin-${index}`, email: `admin-${index}@example.org`, isAdmin: true })),
        );
        expect(results.map((result) => (result.status === 'fulfilled' ? result.value : result.reason))).toSatisfy(
          (values: unknown[]) => values.filter((value) => value === true).length === 1 && values.every((value) => typeof value === 'boolean'),
        );
        expect(await stores[0].countUsers()).toBe(1);
      });

      it('accepts an invitation exactly once when both accept it at once', async (context) => {
        const stores = await twoStores(context);
        await stores[0].createUser(user());
        await stores[0].createInvitation(invitation('inv-1', '2026-01-01T00:00:00.000Z'));
        const results = await race(stores, 10, (store, index) => store.acceptInvitation('inv-1', `2026-01-02T00:00:0${index}.000Z`));
        const accepted = results.flatMap((result, index) => (result.status === 'fulfilled' && result.value ? [index] : []));
        expect(accepted).toHaveLength(1);
        expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
        expect(await stores[1].findInvitationByToken('hash-inv-1')).toMatchObject({ acceptedAt: `2026-01-02T00:00:0${accepted[0]}.000Z` });
      });

      it('lets exactly one of an acceptance and a revocation made at once win', async (context) => {
        const stores = await twoStores(context);
        await stores[0].createUser(user());
        await stores[0].createInvitation(invitation('inv-1', '2026-01-01T00:00:00.000Z'));
        const [accepted, revoked] = await Promise.all([
          stores[0].acceptInvitation('inv-1', '2026-01-02T00:00:00.000Z'),
          stores[1].revokeInvitation('inv-1', '2026-01-02T00:00:00.000Z'),
        ]);
        expect(accepted !== revoked).toBe(true);
        const stored = await stores[1].findInvitationByToken('hash-inv-1');
        expect([stored?.acceptedAt !== null, stored?.revokedAt !== null]).toEqual([accepted, revoked]);
      });

      it('numbers audit events and history entries written at once by both without a gap or a repeat', async (context) => {
        const stores = await twoStores(context);
        await race(stores, 20, (store, index) => store.recordAudit({ type: 'login_succeeded', actorId: null, actorName: null, target: `t${index}`, details: {}, ip: null }));
        await race(stores, 20, (store, index) => store.appendHistory('b1', [historyEntry('card-1', `s${index}`)]));
        const events = await stores[0].listAudit({ limit: 100 });
        const entries = await stores[1].listHistory('b1', { limit: 100 });
        expect(new Set(events.map((event) => event.id)).size).toBe(20);
        expect(new Set(events.map((event) => event.target)).size).toBe(20);
        expect(new Set(entries.map((entry) => entry.id)).size).toBe(20);
      });
    });
  });
}
