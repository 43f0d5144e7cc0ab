import { describe, expect, it } from 'vitest';
import {
  storedApiToken,
  storedAuditEvent,
  storedBoard,
  storedGuest,
  storedGuestInvite,
  storedGuestSession,
  storedHistoryEntry,
  storedInvitation,
  storedNotification,
  storedSession,
  storedUser,
} from '../../server/src/store/stored-records.js';
import { StoredRecordError } from '../../server/src/store/stored-values.js';
import { storedVersionSummary } from '../../server/src/versions/version-store.js';

const at = '2026-03-12T08:00:00.000Z';

describe('stored records', () => {
  describe('boards', () => {
    it('reads a SQLite row and a Redis hash alike, without the access setting stored beside it', () => {
      const board = { id: 'board-1', title: 'Stratégie', createdBy: 'user-1', createdAt: at, updatedAt: at };
      expect(storedBoard.fromRow({ id: 'board-1', title: 'Stratégie', created_by: 'user-1', created_at: at, updated_at: at, workspace_access: 'editor' })).toEqual(board);
      expect(storedBoard.fromFields({ ...board, workspaceAccess: 'editor' })).toEqual(board);
    });

    it('refuses a board without its title, naming the board and the field', () => {
      expect(() => storedBoard.fromFields({ id: 'board-1', createdBy: 'user-1', createdAt: at, updatedAt: at })).toThrow(StoredRecordError);
      expect(() => storedBoard.fromFields({ id: 'board-1', createdBy: 'user-1', createdAt: at, updatedAt: at })).toThrow(/stored board board-1 is malformed: title:/);
    });
  });

  describe('audit events', () => {
    const row = { id: 7, at, type: 'login_failed', actor_id: null, actor_name: null, target: 'someone@example.org', details: '{"attempt":2,"locked":false,"reason":null}', ip: '::1' };

    it('reads a row, its details from their JSON', () => {
      expect(storedAuditEvent.fromRow(row)).toEqual({
        id: 7,
        at,
        type: 'login_failed',
        actorId: null,
        actorName: null,
        target: 'someone@example.org',
        details: { attempt: 2, locked: false, reason: null },
        ip: '::1',
      });
    });

    it('reads the fields a Redis log entry leaves out as null', () => {
      expect(storedAuditEvent.fromFields({ id: 3, at, type: 'logout', details: {} })).toEqual({ id: 3, at, type: 'logout', actorId: null, actorName: null, target: null, details: {}, ip: null });
    });

    it('refuses an unknown type and broken details rather than reading part of the event', () => {
      expect(() => storedAuditEvent.fromRow({ ...row, type: 'teleported' })).toThrow(/stored audit event 7 is malformed: type:/);
      expect(() => storedAuditEvent.fromRow({ ...row, details: '{not json' })).toThrow(/details:/);
    });
  });

  describe('notifications', () => {
    const notification = {
      id: 'n-1',
      kind: 'mention',
      at,
      boardId: 'board-1',
      boardTitle: 'Stratégie',
      cardId: 'card-1',
      subject: 'Double diplôme',
      actorId: 'user-2',
      actorName: 'Camille',
      excerpt: '@Alex ?',
      readAt: null,
    };

    it('reads a Redis hash, where a null field is absent', () => {
      const { readAt: _, ...stored } = notification;
      expect(storedNotification.fromFields(stored)).toEqual(notification);
    });

    it('refuses an unknown kind', () => {
      expect(() => storedNotification.fromFields({ ...notification, kind: 'gossip' })).toThrow(/stored notification n-1 is malformed: kind:/);
    });
  });

  describe('history entries', () => {
    it('reads a row, its fields from their JSON', () => {
      expect(
        storedHistoryEntry.fromRow({ id: 4, board_id: 'board-1', at, actor_id: 'user-1', actor_name: 'Alex', card_id: null, subject_kind: 'column', subject: 'Mobilité', action: 'updated', fields: '["title"]' }),
      ).toEqual({ id: 4, at, actorId: 'user-1', actorName: 'Alex', cardId: null, subjectKind: 'column', subject: 'Mobilité', action: 'updated', fields: ['title'], coActors: [] });
    });

    it('reads the co-actors of a row, and none from a row written before they were recorded', () => {
      const row = { id: 5, board_id: 'board-1', at, actor_id: 'user-1', actor_name: 'Alex', card_id: 'card-1', subject_kind: 'card', subject: 'Porto', action: 'updated', fields: '["title"]' };
      expect(storedHistoryEntry.fromRow({ ...row, co_actors: '[{"id":"user-2","name":"Sam"}]' }).coActors).toEqual([{ id: 'user-2', name: 'Sam' }]);
      expect(storedHistoryEntry.fromFields({ id: 5, at, actorId: 'user-1', actorName: 'Alex', cardId: 'card-1', subjectKind: 'card', subject: 'Porto', action: 'updated', fields: ['title'] }).coActors).toEqual([]);
    });

    it('refuses fields that are not a list of names', () => {
      expect(() =>
        storedHistoryEntry.fromFields({ id: 4, at, actorId: 'user-1', actorName: 'Alex', subjectKind: 'card', subject: 'x', action: 'updated', fields: '{"title":1}' }),
      ).toThrow(/stored history entry 4 is malformed: fields:/);
    });
  });

  describe('API tokens', () => {
    it('reads a token never used', () => {
      expect(storedApiToken.fromRow({ id: 't-1', name: 'CI', created_at: at, last_used_at: null })).toEqual({ id: 't-1', name: 'CI', createdAt: at, lastUsedAt: null });
    });

    it('refuses a token without its creation time', () => {
      expect(() => storedApiToken.fromFields({ id: 't-1', name: 'CI' })).toThrow(/stored API token t-1 is malformed: createdAt:/);
    });
  });

  describe('account records', () => {
    const user = { id: 'user-1', email: 'alex@example.org', name: 'Alex', password_hash: 'hash', is_admin: 1, locale: 'fr', departments: '["sri","studies"]', created_at: at, deactivated_at: null };

    it('reads a person from a SQLite row and from a Redis hash alike (one stored before the agreements manager capability holds none)', () => {
      const record = { id: 'user-1', email: 'alex@example.org', name: 'Alex', passwordHash: 'hash', isAdmin: true, managesAgreements: false, locale: 'fr', departments: ['sri', 'studies'], createdAt: at, deactivatedAt: null };
      expect(storedUser.fromRow(user)).toEqual(record);
      expect(storedUser.fromFields({ id: 'user-1', email: 'alex@example.org', name: 'Alex', passwordHash: 'hash', isAdmin: '1', locale: 'fr', departments: '["sri","studies"]', createdAt: at })).toEqual(record);
      expect(storedUser.fromRow({ ...user, manages_agreements: 1 }).managesAgreements).toBe(true);
      expect(storedUser.fromFields({ id: 'user-1', email: 'alex@example.org', name: 'Alex', passwordHash: 'hash', isAdmin: '0', managesAgreements: '1', locale: 'fr', departments: '[]', createdAt: at }).managesAgreements).toBe(true);
    });

    it('reads a locale or departments this version does not know as none', () => {
      expect(storedUser.fromRow({ ...user, locale: 'tlh', departments: '["sri","wizardry"]' })).toMatchObject({ locale: null, departments: ['sri'] });
      expect(storedUser.fromRow({ ...user, departments: 'not json' })).toMatchObject({ departments: [] });
    });

    it('refuses a person without a password hash or with an admin flag that is neither 1 nor 0', () => {
      expect(() => storedUser.fromRow({ ...user, password_hash: null })).toThrow(/stored user user-1 is malformed: passwordHash:/);
      expect(() => storedUser.fromRow({ ...user, is_admin: 'yes' })).toThrow(/isAdmin:/);
    });

    it("reads an invitation whose creator is gone with an empty creator's name", () => {
      expect(
        storedInvitation.fromRow({ id: 'inv-1', token_hash: 'h', email: 'a@example.org', departments: '[]', is_admin: 0, created_by: 'user-1', created_by_name: null, created_at: at, expires_at: at, accepted_at: null, revoked_at: null }),
      ).toMatchObject({ createdByName: '', isAdmin: false, departments: [] });
    });

    it('reads an unknown guest role as the least one, and refuses a guest invite without its board', () => {
      const invite = { id: 'gi-1', boardId: 'board-1', tokenHash: 'h', role: 'owner', label: 'Porto', createdBy: 'user-1', createdByName: 'Alex', createdAt: at, expiresAt: at, guestCount: 2 };
      expect(storedGuestInvite.fromFields(invite)).toMatchObject({ role: 'viewer', revokedAt: null, guestCount: 2 });
      const { boardId: _, ...withoutBoard } = invite;
      expect(() => storedGuestInvite.fromFields(withoutBoard)).toThrow(/stored guest invite gi-1 is malformed: boardId:/);
    });

    it('reads a guest and refuses one without a name', () => {
      const guest = { id: 'g-1', invite_id: 'gi-1', name: 'Ana', organisation: null, locale: 'en', joined_at: at, revoked_at: null };
      expect(storedGuest.fromRow(guest)).toEqual({ id: 'g-1', inviteId: 'gi-1', name: 'Ana', organisation: null, locale: 'en', joinedAt: at, revokedAt: null });
      expect(() => storedGuest.fromRow({ ...guest, name: null })).toThrow(/stored guest g-1 is malformed: name:/);
    });
  });

  describe('sessions', () => {
    it("reads a person's and a guest's session, and refuses one that names no one", () => {
      expect(storedSession.fromRow({ user_id: 'user-1', expires_at: at })).toEqual({ userId: 'user-1', expiresAt: at });
      expect(storedGuestSession.fromFields({ guestId: 'g-1', createdAt: at })).toEqual({ guestId: 'g-1' });
      expect(() => storedSession.fromFields({ expiresAt: at })).toThrow(/stored session \? is malformed: userId:/);
    });
  });

  describe('versions', () => {
    const row = { id: 'v-1', board_id: 'board-1', at, kind: 'named', name: 'Avant le comité', created_by_id: 'user-1', created_by_name: 'Alex', editors: '[{"id":"user-2","name":"Camille"}]' };

    it('reads who named a version from its two fields, and an automatic one as named by no one', () => {
      expect(storedVersionSummary.fromRow(row)).toEqual({
        id: 'v-1',
        boardId: 'board-1',
        at,
        kind: 'named',
        name: 'Avant le comité',
        createdBy: { id: 'user-1', name: 'Alex' },
        editors: [{ id: 'user-2', name: 'Camille' }],
      });
      expect(storedVersionSummary.fromFields({ id: 'v-2', boardId: 'board-1', at, kind: 'auto', editors: '[]' })).toMatchObject({ name: null, createdBy: null, editors: [] });
    });

    it('shows a kind another release wrote as automatic, and refuses editors that are not people', () => {
      expect(storedVersionSummary.fromRow({ ...row, kind: 'milestone' })).toMatchObject({ kind: 'auto' });
      expect(() => storedVersionSummary.fromRow({ ...row, editors: '[{"id":"user-2"}]' })).toThrow(/stored version v-1 is malformed: editors\.0\.name:/);
    });
  });
});
