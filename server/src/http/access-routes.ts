import express, { type Request, type Response } from 'express';
import {
  AcceptInvitationRequest,
  AuditQuery,
  CreateGuestInviteRequest,
  CreateInvitationRequest,
  JoinAsGuestRequest,
  SetMemberRoleRequest,
  UpdateSharingRequest,
  type BoardRole,
  type BoardSharing,
  type GuestInviteCreated,
  type GuestInvitePreview,
  type GuestInviteSummary,
  type InvitationCreated,
  type InvitationPreview,
  type InvitationSummary,
  type Locale,
} from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import { toMe, type AuthService, type LinkProblem } from '../auth/auth-service.js';
import { EmailTakenError, type AccountStores, type GuestInviteRecord, type InvitationRecord } from '../store/account-store.js';
import type { LiveAccess } from '../access/live-access.js';
import type { Audit } from './audit.js';
import { ApiError, parseBody } from './errors.js';
import { requireAdmin, requireMember } from './guards.js';

export interface AccessRouteOptions {
  auth: AuthService;
  accounts: AccountStores;
  access: BoardAccess;
  audit: Audit;
  live: LiveAccess;
  linkBase: (request: Request) => string;
  roleOnBoard: (request: Request, minimum?: BoardRole) => Promise<{ boardId: string; role: BoardRole }>;
  setSessionCookie: (request: Request, response: Response, secret: string, expiresAt: Date | null) => void;
  /** Sends the invitation e-mail; resolves false when this server sends no e-mail. */
  mailInvitation: (request: Request, invitation: { to: string; url: string; inviterName: string; expiresAt: string; boardTitle?: string; locale?: Locale }) => Promise<boolean>;
}

const summaryOfInvitation = ({ tokenHash: _hash, createdBy: _by, ...rest }: InvitationRecord): InvitationSummary => rest;
const summaryOfGuestInvite = ({ tokenHash: _hash, createdBy: _by, ...rest }: GuestInviteRecord): GuestInviteSummary => rest;

/** A link that cannot be used: unknown or revoked (404), or expired (410). */
function linkError(problem: LinkProblem): ApiError {
  return new ApiError(problem === 'expired' ? 'invitation_expired' : 'not_found');
}

/**
 * Routes of access control: board sharing (owners), guest invite links and joining through them,
 * member invitations (administrators) and the audit log (administrators).
 */
export function createAccessRoutes(options: AccessRouteOptions): express.Router {
  const { auth, accounts, audit, live, roleOnBoard } = options;
  const { people, directory, invitations, activity } = accounts;
  const router = express.Router();

  // ---- Board sharing (owners) ----

  router.get('/boards/:boardId/sharing', requireMember, async (request, response) => {
    const { boardId } = await roleOnBoard(request, 'owner');
    const boardAccess = await directory.getBoardAccess(boardId);
    if (!boardAccess) throw new ApiError('not_found');
    const users = new Map((await people.listUsers()).map((user) => [user.id, user]));
    const sharing: BoardSharing = {
      boardId,
      workspaceAccess: boardAccess.workspaceAccess,
      members: boardAccess.members.flatMap(({ userId, role }) => {
        const user = users.get(userId);
        return user ? [{ userId, name: user.name, departments: user.departments, role }] : [];
      }),
      invites: (await invitations.listGuestInvites(boardId)).map(summaryOfGuestInvite),
      guests: (await invitations.listGuests(boardId)).map(({ locale: _locale, ...guest }) => guest),
    };
    response.json(sharing);
  });

  router.patch('/boards/:boardId/sharing', requireMember, async (request, response) => {
    const { boardId } = await roleOnBoard(request, 'owner');
    const { workspaceAccess } = parseBody(UpdateSharingRequest, request.body);
    await directory.setWorkspaceAccess(boardId, workspaceAccess);
    await audit.record(request, 'board_access_changed', { target: boardId, details: { workspaceAccess } });
    await live.refreshBoard(boardId);
    response.status(204).end();
  });

  router.put('/boards/:boardId/members/:userId', requireMember, async (request, response) => {
    const { boardId } = await roleOnBoard(request, 'owner');
    const { role } = parseBody(SetMemberRoleRequest, request.body);
    const user = await people.findUserById(String(request.params.userId));
    if (!user) throw new ApiError('not_found');
    await directory.setBoardMember(boardId, user.id, role);
    await audit.record(request, 'board_role_changed', { target: boardId, details: { member: user.email, role } });
    await live.refreshBoard(boardId);
    response.status(204).end();
  });

  router.post('/boards/:boardId/guest-invites', requireMember, async (request, response) => {
    const { boardId } = await roleOnBoard(request, 'owner');
    const input = parseBody(CreateGuestInviteRequest, request.body);
    const principal = request.principal;
    if (principal?.kind !== 'member') throw new ApiError('forbidden');
    const { email, locale, ...inviteInput } = input;
    const { invite, secret } = await auth.createGuestInvite(principal.user, { boardId, ...inviteInput });
    await audit.record(request, 'guest_invite_created', {
      target: boardId,
      details: { invite: invite.id, role: invite.role, label: invite.label, expiresAt: invite.expiresAt },
    });
    const url = `${options.linkBase(request)}/guest/${secret}`;
    const boardTitle = (await directory.getBoard(boardId))?.title ?? '';
    const emailed = email ? await options.mailInvitation(request, { to: email, url, inviterName: principal.user.name, expiresAt: invite.expiresAt, boardTitle, locale }) : false;
    const created: GuestInviteCreated = { ...summaryOfGuestInvite(invite), url, emailedTo: emailed ? (email ?? null) : null };
    response.status(201).json(created);
  });

  router.delete('/boards/:boardId/guest-invites/:inviteId', requireMember, async (request, response) => {
    const { boardId } = await roleOnBoard(request, 'owner');
    const invite = await invitations.getGuestInvite(String(request.params.inviteId));
    if (!invite || invite.boardId !== boardId) throw new ApiError('not_found');
    if (await invitations.revokeGuestInvite(invite.id, new Date().toISOString())) {
      live.end({ guestInvite: invite.id }, 'revoked');
      await audit.record(request, 'guest_invite_revoked', { target: boardId, details: { invite: invite.id, label: invite.label } });
    }
    response.status(204).end();
  });

  router.delete('/boards/:boardId/guests/:guestId', requireMember, async (request, response) => {
    const { boardId } = await roleOnBoard(request, 'owner');
    const guest = await invitations.getGuest(String(request.params.guestId));
    const invite = guest && (await invitations.getGuestInvite(guest.inviteId));
    if (!guest || !invite || invite.boardId !== boardId) throw new ApiError('not_found');
    if (await invitations.revokeGuest(guest.id, new Date().toISOString())) {
      live.end({ guest: guest.id }, 'revoked');
      await audit.record(request, 'guest_revoked', { target: boardId, details: { guest: guest.name, organisation: guest.organisation } });
    }
    response.status(204).end();
  });

  // ---- Guest invite links (public) ----

  router.get('/guest-invites/:token', async (request, response) => {
    const invite = await auth.findGuestInvite(String(request.params.token));
    if (typeof invite === 'string') throw linkError(invite);
    const board = await directory.getBoard(invite.boardId);
    if (!board) throw new ApiError('not_found');
    const preview: GuestInvitePreview = { boardTitle: board.title, role: invite.role, label: invite.label, expiresAt: invite.expiresAt };
    response.json(preview);
  });

  router.post('/guest-invites/:token/join', async (request, response) => {
    const input = parseBody(JoinAsGuestRequest, request.body);
    // Only a language the partner chose is kept: without one, each request follows their browser's
    // (Accept-Language, navigator.languages), which stays right when they switch browser or device.
    const joined = await auth.joinAsGuest(String(request.params.token), { ...input, locale: input.locale ?? null });
    if (typeof joined === 'string') throw linkError(joined);
    const board = await directory.getBoard(joined.invite.boardId);
    await audit.record(request, 'guest_joined', {
      actor: { id: joined.guest.id, name: joined.guest.name },
      target: joined.invite.boardId,
      details: { invite: joined.invite.id, organisation: joined.guest.organisation },
    });
    // The session lasts as long as the invite; revoking either ends it.
    options.setSessionCookie(request, response, joined.sessionSecret, new Date(joined.invite.expiresAt));
    response.status(201).json({
      id: joined.guest.id,
      email: '',
      name: joined.guest.name,
      isAdmin: false,
      locale: joined.guest.locale,
      departments: [],
      active: true,
      guest: {
        boardId: joined.invite.boardId,
        boardTitle: board?.title ?? '',
        role: joined.invite.role,
        organisation: joined.guest.organisation,
        expiresAt: joined.invite.expiresAt,
      },
    });
  });

  // ---- Member invitations ----

  router.get('/invitations', requireAdmin, async (_request, response) => {
    response.json({ invitations: (await invitations.listInvitations()).map(summaryOfInvitation) });
  });

  router.post('/invitations', requireAdmin, async (request, response) => {
    const input = parseBody(CreateInvitationRequest, request.body);
    if (await people.findUserByEmail(input.email)) throw new ApiError('email_taken');
    const principal = request.principal;
    if (principal?.kind !== 'member') throw new ApiError('forbidden');
    const { invitation, secret } = await auth.createInvitation(principal.user, input);
    await audit.record(request, 'invitation_created', {
      target: invitation.email,
      details: { departments: invitation.departments.join(','), isAdmin: invitation.isAdmin, expiresAt: invitation.expiresAt },
    });
    const url = `${options.linkBase(request)}/join/${secret}`;
    const emailed = await options.mailInvitation(request, { to: invitation.email, url, inviterName: principal.user.name, expiresAt: invitation.expiresAt, locale: input.locale });
    const created: InvitationCreated = { ...summaryOfInvitation(invitation), url, emailed };
    response.status(201).json(created);
  });

  router.delete('/invitations/:invitationId', requireAdmin, async (request, response) => {
    const id = String(request.params.invitationId);
    const invitation = (await invitations.listInvitations()).find((item) => item.id === id);
    if (!invitation) throw new ApiError('not_found');
    if (await invitations.revokeInvitation(id, new Date().toISOString())) {
      await audit.record(request, 'invitation_revoked', { target: invitation.email });
    }
    response.status(204).end();
  });

  router.get('/invitations/by-token/:token', async (request, response) => {
    const invitation = await auth.findInvitation(String(request.params.token));
    if (typeof invitation === 'string') throw linkError(invitation);
    const preview: InvitationPreview = { email: invitation.email, expiresAt: invitation.expiresAt };
    response.json(preview);
  });

  router.post('/invitations/by-token/:token/accept', async (request, response) => {
    const input = parseBody(AcceptInvitationRequest, request.body);
    let user;
    try {
      user = await auth.acceptInvitation(String(request.params.token), input);
    } catch (error) {
      if (error instanceof EmailTakenError) throw new ApiError('email_taken');
      throw error;
    }
    if (typeof user === 'string') throw linkError(user);
    await audit.record(request, 'invitation_accepted', { actor: user, target: user.email });
    const session = await auth.openSession(user.id);
    options.setSessionCookie(request, response, session.secret, session.expiresAt);
    response.status(201).json(toMe(user));
  });

  // ---- Audit log ----

  router.get('/audit', requireAdmin, async (request, response) => {
    const query = parseBody(AuditQuery, request.query);
    response.json({ events: await activity.listAudit(query) });
  });

  return router;
}
