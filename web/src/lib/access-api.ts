/**
 * Who may use Passerelle and how: member invitations, board sharing with roles and partner guest
 * links, and the security audit log. Same client as `api.ts`: every failure is an `ApiError`.
 */
import type {
  AcceptInvitationRequest,
  AuditEvent,
  AuditEventType,
  BoardSharing,
  CreateGuestInviteRequest,
  CreateInvitationRequest,
  GuestInviteCreated,
  GuestInvitePreview,
  InvitationCreated,
  InvitationPreview,
  InvitationSummary,
  JoinAsGuestRequest,
  Me,
  SetMemberRoleRequest,
  UpdateSharingRequest,
} from '@passerelle/shared';
import { request } from './api.js';

const segment = encodeURIComponent;
const boardPath = (boardId: string) => `/api/boards/${segment(boardId)}`;

/** One page of the audit log, newest first. */
export interface AuditPageQuery {
  type?: AuditEventType;
  /** The id of the last event already shown: the page starts just before it. */
  before?: number;
  limit?: number;
}

/** The access API, one function per endpoint. */
export const accessApi = {
  /** Administrators: invites a colleague; the link in `url` is only returned here. */
  createInvitation: (body: CreateInvitationRequest) => request<InvitationCreated>('POST', '/api/invitations', body),
  /** Administrators: every invitation, pending, accepted, expired or revoked. */
  listInvitations: () => request<{ invitations: InvitationSummary[] }>('GET', '/api/invitations'),
  /** Administrators: the link stops working at once. */
  revokeInvitation: (invitationId: string) => request<void>('DELETE', `/api/invitations/${segment(invitationId)}`),
  /** Public: what an invitation link is for (404 unknown or revoked, 410 expired). */
  previewInvitation: (token: string) => request<InvitationPreview>('GET', `/api/invitations/by-token/${segment(token)}`),
  /** Public: creates the account and signs in (sets the session cookie). */
  acceptInvitation: (token: string, body: AcceptInvitationRequest) =>
    request<Me>('POST', `/api/invitations/by-token/${segment(token)}/accept`, body),

  /** Owners: the board's workspace access, members, guest links and guests. */
  getSharing: (boardId: string) => request<BoardSharing>('GET', `${boardPath(boardId)}/sharing`),
  updateSharing: (boardId: string, body: UpdateSharingRequest) => request<void>('PATCH', `${boardPath(boardId)}/sharing`, body),
  /** Owners: gives a member an explicit role, or removes it with `role: null`. */
  setMemberRole: (boardId: string, userId: string, body: SetMemberRoleRequest) =>
    request<void>('PUT', `${boardPath(boardId)}/members/${segment(userId)}`, body),
  /** Owners: a partner guest link; the link in `url` is only returned here. */
  createGuestInvite: (boardId: string, body: CreateGuestInviteRequest) =>
    request<GuestInviteCreated>('POST', `${boardPath(boardId)}/guest-invites`, body),
  /** Owners: the link stops working and the guests who joined through it lose access at once. */
  revokeGuestInvite: (boardId: string, inviteId: string) => request<void>('DELETE', `${boardPath(boardId)}/guest-invites/${segment(inviteId)}`),
  /** Owners: one guest loses access at once. */
  revokeGuest: (boardId: string, guestId: string) => request<void>('DELETE', `${boardPath(boardId)}/guests/${segment(guestId)}`),

  /** Public: what a guest link opens (404 unknown or revoked, 410 expired). */
  previewGuestInvite: (token: string) => request<GuestInvitePreview>('GET', `/api/guest-invites/${segment(token)}`),
  /** Public: the guest says who they are and gets a session limited to the one board. */
  joinAsGuest: (token: string, body: JoinAsGuestRequest) => request<Me>('POST', `/api/guest-invites/${segment(token)}/join`, body),

  /** Administrators: security events, newest first. */
  listAudit: (query: AuditPageQuery) => {
    const params = new URLSearchParams();
    if (query.type) params.set('type', query.type);
    if (query.before !== undefined) params.set('before', String(query.before));
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const search = params.toString();
    return request<{ events: AuditEvent[] }>('GET', `/api/audit${search ? `?${search}` : ''}`);
  },
};
