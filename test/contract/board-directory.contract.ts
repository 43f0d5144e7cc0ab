/**
 * The contract every `BoardDirectory` passes (boards and their access, what deleting a board takes
 * with it): each test proves one rule of the doc comments in `server/src/store/account-store.ts`, or one rule
 * the SQLite schema enforces, or the order a list comes back in. `account-store.test.ts` runs it
 * over every implementation.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { user, other, board, guestInvite, guest, historyEntry, useAccountStores, type AccountStoreFixture } from './account-fixtures.js';

export function describeBoardDirectoryContract(name: string, factory: () => Promise<AccountStoreFixture>): void {
  describe(`BoardDirectory contract: ${name}`, () => {
    const opened = useAccountStores(name, factory);

    describe('boards', () => {
      opened.withPeople(user());

      it('creates a board and reads it back', async () => {
        const created = board('b1', '2026-01-01T00:00:00.000Z');
        await opened.directory.createBoard(created);
        expect(await opened.directory.getBoard('b1')).toEqual(created);
        expect(await opened.directory.getBoard('missing')).toBeUndefined();
      });

      it('refuses a board whose id is taken, or whose creator does not exist', async () => {
        await opened.directory.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
        await expect(opened.directory.createBoard({ ...board('b1', '2026-01-02T00:00:00.000Z'), title: 'Again' })).rejects.toThrow();
        await expect(opened.directory.createBoard(board('b2', '2026-01-01T00:00:00.000Z', 'user-nobody'))).rejects.toThrow(/FOREIGN KEY/);
        expect(await opened.directory.getBoard('b1')).toEqual(board('b1', '2026-01-01T00:00:00.000Z'));
        expect((await opened.directory.listBoards()).map((listed) => listed.id)).toEqual(['b1']);
      });

      it('lists boards by most recently updated first, ties in creation order', async () => {
        await opened.directory.createBoard(board('old', '2026-01-01T00:00:00.000Z'));
        await opened.directory.createBoard(board('new', '2026-01-03T00:00:00.000Z'));
        await opened.directory.createBoard(board('mid-2', '2026-01-02T00:00:00.000Z'));
        await opened.directory.createBoard(board('mid-1', '2026-01-02T00:00:00.000Z'));
        expect((await opened.directory.listBoards()).map((listed) => listed.id)).toEqual(['new', 'mid-2', 'mid-1', 'old']);
      });

      it('renames a board, bumps its updatedAt and moves it to the top of the list', async () => {
        await opened.directory.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
        await opened.directory.createBoard(board('b2', '2026-01-02T00:00:00.000Z'));

        const renamed = await opened.directory.renameBoard('b1', 'Erasmus+ 2026', '2026-01-05T00:00:00.000Z');
        expect(renamed).toEqual({ ...board('b1', '2026-01-05T00:00:00.000Z'), title: 'Erasmus+ 2026' });
        expect((await opened.directory.listBoards()).map((listed) => listed.id)).toEqual(['b1', 'b2']);
        expect(await opened.directory.renameBoard('missing', 'x', '2026-01-05T00:00:00.000Z')).toBeUndefined();
        expect(await opened.directory.getBoard('missing')).toBeUndefined();
      });

      it('deletes a board once', async () => {
        await opened.directory.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
        await opened.directory.createBoard(board('b2', '2026-01-02T00:00:00.000Z'));
        expect(await opened.directory.deleteBoard('b1')).toBe(true);
        expect(await opened.directory.getBoard('b1')).toBeUndefined();
        expect(await opened.directory.deleteBoard('b1')).toBe(false);
        expect((await opened.directory.listBoards()).map((listed) => listed.id)).toEqual(['b2']);
      });
    });

    describe('board access', () => {
      beforeEach(async () => {
        await opened.people.createUser(user());
        await opened.people.createUser(other());
        await opened.people.createUser(user({ id: 'user-alix', email: 'alix@example.org', name: 'Alix' }));
        await opened.directory.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
        await opened.directory.createBoard(board('b2', '2026-01-02T00:00:00.000Z'));
      });

      it('opens a new board to every member as an editor, with no explicit members', async () => {
        expect(await opened.directory.getBoardAccess('b1')).toEqual({ workspaceAccess: 'editor', members: [] });
        expect(await opened.directory.getBoardAccess('missing')).toBeUndefined();
      });

      it('changes the workspace default of one board, and of no board that does not exist', async () => {
        await opened.directory.setWorkspaceAccess('b1', 'none');
        await opened.directory.setWorkspaceAccess('missing', 'viewer');
        expect(await opened.directory.getBoardAccess('b1')).toMatchObject({ workspaceAccess: 'none' });
        expect(await opened.directory.getBoardAccess('b2')).toMatchObject({ workspaceAccess: 'editor' });
        expect(await opened.directory.getBoardAccess('missing')).toBeUndefined();
        expect(await opened.directory.getBoard('missing')).toBeUndefined();
      });

      it('reads the workspace access of several boards at once, leaving out the ones that do not exist', async () => {
        await opened.directory.setWorkspaceAccess('b2', 'viewer');
        const access = await opened.directory.workspaceAccessOf(['b2', 'missing', 'b1']);
        expect(Object.fromEntries(access)).toEqual({ b1: 'editor', b2: 'viewer' });
        expect((await opened.directory.workspaceAccessOf([])).size).toBe(0);
        await opened.directory.deleteBoard('b1');
        expect([...(await opened.directory.workspaceAccessOf(['b1', 'b2'])).keys()]).toEqual(['b2']);
      });

      it('sets, changes and removes explicit roles, listed by user id, and each person’s roles by board', async () => {
        await opened.directory.setBoardMember('b1', 'user-other', 'viewer');
        await opened.directory.setBoardMember('b1', 'user-camille', 'owner');
        await opened.directory.setBoardMember('b1', 'user-alix', 'commenter');
        await opened.directory.setBoardMember('b2', 'user-other', 'editor');
        await opened.directory.setBoardMember('b1', 'user-other', 'editor');
        expect(await opened.directory.getBoardAccess('b1')).toEqual({
          workspaceAccess: 'editor',
          members: [
            { userId: 'user-alix', role: 'commenter' },
            { userId: 'user-camille', role: 'owner' },
            { userId: 'user-other', role: 'editor' },
          ],
        });
        expect(await opened.directory.boardRolesOf('user-other')).toEqual(new Map([['b1', 'editor'], ['b2', 'editor']]));

        await opened.directory.setBoardMember('b1', 'user-other', null);
        await opened.directory.setBoardMember('b1', 'user-nobody', null);
        expect((await opened.directory.getBoardAccess('b1'))?.members.map((member) => member.userId)).toEqual(['user-alix', 'user-camille']);
        expect(await opened.directory.boardRolesOf('user-other')).toEqual(new Map([['b2', 'editor']]));
        expect(await opened.directory.boardRolesOf('user-nobody')).toEqual(new Map());
      });

      it('refuses a role on a board or for a person that does not exist', async () => {
        await expect(opened.directory.setBoardMember('missing', 'user-other', 'editor')).rejects.toThrow(/FOREIGN KEY/);
        await expect(opened.directory.setBoardMember('b1', 'user-nobody', 'editor')).rejects.toThrow(/FOREIGN KEY/);
        expect(await opened.directory.getBoardAccess('b1')).toEqual({ workspaceAccess: 'editor', members: [] });
        expect(await opened.directory.boardRolesOf('user-other')).toEqual(new Map());
      });

      it('deleting a board removes its roles, its guest invites, their guests and the guests’ sessions, and keeps its history', async () => {
        await opened.directory.setBoardMember('b1', 'user-other', 'viewer');
        await opened.directory.setBoardMember('b2', 'user-other', 'editor');
        await opened.invitations.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'));
        await opened.invitations.createGuestInvite(guestInvite('gi-2', 'b2', '2026-01-03T00:00:00.000Z'));
        await opened.invitations.createGuest(guest('g-1', 'gi-1', '2026-01-04T00:00:00.000Z'));
        await opened.invitations.createGuest(guest('g-2', 'gi-2', '2026-01-04T00:00:00.000Z'));
        await opened.invitations.createGuestSession('guest-hash-1', 'g-1');
        await opened.invitations.createGuestSession('guest-hash-2', 'g-2');
        await opened.activity.appendHistory('b1', [historyEntry('card-1', 'Porto')]);

        expect(await opened.directory.deleteBoard('b1')).toBe(true);

        expect(await opened.directory.getBoardAccess('b1')).toBeUndefined();
        expect(await opened.directory.boardRolesOf('user-other')).toEqual(new Map([['b2', 'editor']]));
        expect(await opened.invitations.getGuestInvite('gi-1')).toBeUndefined();
        expect(await opened.invitations.findGuestInviteByToken('hash-gi-1')).toBeUndefined();
        expect(await opened.invitations.listGuestInvites('b1')).toEqual([]);
        expect(await opened.invitations.getGuest('g-1')).toBeUndefined();
        expect(await opened.invitations.listGuests('b1')).toEqual([]);
        expect(await opened.invitations.findGuestSession('guest-hash-1')).toBeUndefined();
        expect((await opened.activity.listHistory('b1', { limit: 10 })).map((entry) => entry.subject)).toEqual(['Porto']);
        // The other board keeps everything.
        expect(await opened.invitations.getGuestInvite('gi-2')).toMatchObject({ guestCount: 1 });
        expect(await opened.invitations.findGuestSession('guest-hash-2')).toEqual({ guestId: 'g-2' });

        // A board created again under the same id starts with nothing of the old one.
        await opened.directory.createBoard(board('b1', '2026-01-05T00:00:00.000Z'));
        expect(await opened.directory.getBoardAccess('b1')).toEqual({ workspaceAccess: 'editor', members: [] });
        expect(await opened.invitations.listGuestInvites('b1')).toEqual([]);
      });
    });
  });
}
