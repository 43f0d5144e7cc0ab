/**
 * Who may do what on a board. One definition for the server (which enforces it on REST, socket.io
 * and the sync endpoint) and the web app (which shows only what a role allows).
 *
 * - Workspace members get each board's `workspaceAccess` role, raised by an explicit membership;
 *   administrators own every board.
 * - Guests (partners invited by link) hold exactly their invite's role on that one board, never see
 *   other boards, the school's people, the workspace records or a board's internal document.
 */
import { z } from 'zod';
import { Locale } from './api.js';
import { Department } from './domain/vocabulary.js';

export const BoardRole = z.enum(['owner', 'editor', 'commenter', 'viewer']);
export type BoardRole = z.infer<typeof BoardRole>;

/** The roles a guest invite may grant: a partner never owns a board. */
export const GuestRole = z.enum(['editor', 'commenter', 'viewer']);
export type GuestRole = z.infer<typeof GuestRole>;

/** What every workspace member may do on a board without an explicit role ('none': only invited members see it). */
export const WorkspaceAccess = z.enum(['editor', 'commenter', 'viewer', 'none']);
export type WorkspaceAccess = z.infer<typeof WorkspaceAccess>;

const RANK: Record<BoardRole, number> = { viewer: 0, commenter: 1, editor: 2, owner: 3 };

/** True when `role` allows at least what `minimum` allows. */
export function roleAtLeast(role: BoardRole | null | undefined, minimum: BoardRole): boolean {
  return role != null && RANK[role] >= RANK[minimum];
}

/** The higher of two roles (null counts as no access). */
export function higherRole(a: BoardRole | null, b: BoardRole | null): BoardRole | null {
  if (a === null) return b;
  if (b === null) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

/** What a role allows, for UI switches and server checks alike. */
export const can = {
  /** Change the board document (cards, fields, roadmap, actions, sign-offs). */
  edit: (role: BoardRole | null | undefined) => roleAtLeast(role, 'editor'),
  /** Add comments (through the API) and vote in meetings. */
  comment: (role: BoardRole | null | undefined) => roleAtLeast(role, 'commenter'),
  /** Rename or delete the board, manage its members and guest invites. */
  manage: (role: BoardRole | null | undefined) => roleAtLeast(role, 'owner'),
  /** Run a meeting on the board (facilitate, present, reveal votes). */
  facilitate: (role: BoardRole | null | undefined) => roleAtLeast(role, 'editor'),
};

const displayName = z.string().trim().min(1).max(80);
const email = z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254));
const password = z.string().min(10).max(256);
const secret = z.string().min(1).max(200);

// ---- Board sharing --------------------------------------------------------------------------

/** A workspace member with an explicit role on a board. */
export interface BoardMember {
  userId: string;
  name: string;
  departments: Department[];
  role: BoardRole;
}

/** A partner guest invite link of a board (the secret itself is only returned at creation). */
export interface GuestInviteSummary {
  id: string;
  boardId: string;
  role: GuestRole;
  /** Who it is for, e.g. "Universidade do Porto — meeting of 12 March". */
  label: string;
  createdAt: string;
  createdByName: string;
  expiresAt: string;
  revokedAt: string | null;
  /** How many guests joined through it. */
  guestCount: number;
}

/** `POST /api/boards/:boardId/guest-invites` → the invite and its link, shown once. */
export interface GuestInviteCreated extends GuestInviteSummary {
  url: string;
  /** The partner's address the link was e-mailed to; null when none was given or this server sends no e-mail. */
  emailedTo: string | null;
}

/** A guest who joined a board through an invite. */
export interface GuestSummary {
  id: string;
  inviteId: string;
  name: string;
  organisation: string | null;
  joinedAt: string;
  revokedAt: string | null;
}

/** `GET /api/boards/:boardId/sharing` (owners): who has access and how. */
export interface BoardSharing {
  boardId: string;
  workspaceAccess: WorkspaceAccess;
  members: BoardMember[];
  invites: GuestInviteSummary[];
  guests: GuestSummary[];
}

/** `PATCH /api/boards/:boardId/sharing`. */
export const UpdateSharingRequest = z.object({ workspaceAccess: WorkspaceAccess });
export type UpdateSharingRequest = z.infer<typeof UpdateSharingRequest>;

/** `PUT /api/boards/:boardId/members/:userId` (a null role removes the explicit membership). */
export const SetMemberRoleRequest = z.object({ role: BoardRole.nullable() });
export type SetMemberRoleRequest = z.infer<typeof SetMemberRoleRequest>;

/** `POST /api/boards/:boardId/guest-invites`. */
export const CreateGuestInviteRequest = z.object({
  role: GuestRole,
  label: z.string().trim().min(1).max(120),
  /** From one hour to 90 days. */
  expiresInHours: z.number().int().min(1).max(24 * 90),
  /** The partner's address, to e-mail them the link (when the server sends e-mail). */
  email: email.optional(),
  /** The language of that e-mail (default: the inviter's). */
  locale: Locale.optional(),
});
export type CreateGuestInviteRequest = z.infer<typeof CreateGuestInviteRequest>;

/** `GET /api/guest-invites/:token` (public): what the invite opens, before joining. */
export interface GuestInvitePreview {
  boardTitle: string;
  role: GuestRole;
  label: string;
  expiresAt: string;
}

/** `POST /api/guest-invites/:token/join` (public): the guest says who they are and gets a session. */
export const JoinAsGuestRequest = z.object({
  name: displayName,
  organisation: z.string().trim().max(120).optional(),
  /** The language the partner chose in this browser, if they did; without it they get their browser's. */
  locale: Locale.optional(),
});
export type JoinAsGuestRequest = z.infer<typeof JoinAsGuestRequest>;

// ---- Member invitations ---------------------------------------------------------------------

/** `POST /api/invitations` (admins): invite a colleague to the workspace. */
export const CreateInvitationRequest = z.object({
  email,
  departments: z.array(Department).max(6).default([]),
  isAdmin: z.boolean().default(false),
  /** From one to 30 days. */
  expiresInDays: z.number().int().min(1).max(30).default(7),
  /** The language of the invitation e-mail (default: the inviter's). */
  locale: Locale.optional(),
});
export type CreateInvitationRequest = z.input<typeof CreateInvitationRequest>;

export interface InvitationSummary {
  id: string;
  email: string;
  departments: Department[];
  isAdmin: boolean;
  createdAt: string;
  createdByName: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}

/** `POST /api/invitations` → the invitation and its link, shown once. */
export interface InvitationCreated extends InvitationSummary {
  url: string;
  /** True when an e-mail carrying the link was written to the outbox; false when this server sends no e-mail. */
  emailed: boolean;
}

/** `GET /api/invitations/by-token/:token` (public). */
export interface InvitationPreview {
  email: string;
  expiresAt: string;
}

/** `POST /api/invitations/by-token/:token/accept` (public): creates the account and signs in. */
export const AcceptInvitationRequest = z.object({ name: displayName, password });
export type AcceptInvitationRequest = z.infer<typeof AcceptInvitationRequest>;

// ---- Audit log ------------------------------------------------------------------------------

/** The audit events of an administrator's changes to the workspace's proposal templates. */
export const TemplateAuditEventType = ['template_copied', 'template_edited', 'template_deleted'] as const;
export type TemplateAuditEventType = (typeof TemplateAuditEventType)[number];

/** Password changes and resets (server/src/http/password-routes.ts); their names are in `mail.*.ts`. */
export const PasswordAuditEventType = ['password_changed', 'password_reset_requested', 'password_reset'] as const;
export type PasswordAuditEventType = (typeof PasswordAuditEventType)[number];

/**
 * Changes to the workspace's records (partners, agreements, mobility flows and targets), one event per
 * history entry (coalesced like it), and the agreements manager capability given or taken.
 */
export const WorkspaceRecordAuditEventType = ['record_created', 'record_changed', 'record_deleted', 'record_change_refused', 'agreements_manager_changed'] as const;
export type WorkspaceRecordAuditEventType = (typeof WorkspaceRecordAuditEventType)[number];

/** An administrator's changes to the webhooks (server/src/webhooks/router.ts); their names are in `api.*.ts`. */
export const WebhookAuditEventType = ['webhook_created', 'webhook_changed', 'webhook_deleted'] as const;
export type WebhookAuditEventType = (typeof WebhookAuditEventType)[number];

/** An administrator restored the workspace's records to a version; its name is in `workspace-versions.*.ts`. */
export const WorkspaceVersionAuditEventType = ['workspace_version_restored'] as const;
export type WorkspaceVersionAuditEventType = (typeof WorkspaceVersionAuditEventType)[number];

export const AuditEventType = [
  'login_succeeded',
  'login_failed',
  'login_locked',
  'logout',
  'setup_completed',
  'invitation_created',
  'invitation_revoked',
  'invitation_accepted',
  'guest_invite_created',
  'guest_invite_revoked',
  'guest_joined',
  'guest_revoked',
  'member_deactivated',
  'member_reactivated',
  'admin_changed',
  'departments_changed',
  'board_role_changed',
  'board_access_changed',
  'token_created',
  'token_revoked',
  'export',
  'import',
  'version_deleted',
  ...WorkspaceVersionAuditEventType,
  ...TemplateAuditEventType,
  ...PasswordAuditEventType,
  ...WorkspaceRecordAuditEventType,
  ...WebhookAuditEventType,
] as const;
export type AuditEventType = (typeof AuditEventType)[number];

/** One security event (`GET /api/audit` → `{ events: AuditEvent[] }`, newest first; admins only). */
export const AuditEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  type: z.enum(AuditEventType),
  /** Who did it (null for a failed login by an unknown email). */
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  /** What it was done to: an email, a board id, an invite id... */
  target: z.string().nullable(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  ip: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** `GET /api/audit?type=&before=&limit=`. */
export const AuditQuery = z.object({
  type: z.enum(AuditEventType).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

// ---- Comments, notifications, history -------------------------------------------------------

/** `POST /api/boards/:boardId/cards/:cardId/comments`: everyone with at least the commenter role. */
export const CreateCommentRequest = z.object({
  text: z.string().trim().min(1).max(4000),
  /** Ids of workspace members mentioned with @ in the text; each gets a notification. */
  mentions: z.array(z.string().min(1).max(64)).max(20).default([]),
});
export type CreateCommentRequest = z.input<typeof CreateCommentRequest>;

/** `POST /api/boards/:boardId/cards/:cardId/sign-off-requests`: ask a department to sign off. */
export const RequestSignOffRequest = z.object({ department: Department });
export type RequestSignOffRequest = z.infer<typeof RequestSignOffRequest>;

export const NotificationKind = z.enum(['mention', 'assignment', 'sign_off_request']);
export type NotificationKind = z.infer<typeof NotificationKind>;

/** Something that asks for a person's attention (`GET /api/notifications`, socket.io `notification`). */
export const AppNotification = z.object({
  id: z.string(),
  kind: NotificationKind,
  at: z.string(),
  boardId: z.string(),
  boardTitle: z.string(),
  /** The card (or action item) it is about. */
  cardId: z.string().nullable(),
  /** The card's or item's title when it was sent. */
  subject: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  /** A short excerpt (a comment's text), or the department asked to sign off. */
  excerpt: z.string(),
  readAt: z.string().nullable(),
});
export type AppNotification = z.infer<typeof AppNotification>;

/** `POST /api/notifications/read`: marks some (or, without ids, all) as read. */
export const MarkNotificationsReadRequest = z.object({ ids: z.array(z.string().min(1).max(64)).max(500).optional() });
export type MarkNotificationsReadRequest = z.infer<typeof MarkNotificationsReadRequest>;

/** One entry of a board's history: who changed which card (or the board), what, and when. */
export const HistoryEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.string(),
  actorName: z.string(),
  /** The card or record changed, or null for board-level changes (columns). */
  cardId: z.string().nullable(),
  /**
   * The kind of thing changed: a card, a roadmap or action item, a column; in the workspace's
   * history (`GET /api/workspace/history`), a partner, agreement, mobility flow or target.
   */
  subjectKind: z.enum(['card', 'roadmap', 'action', 'column', 'board', 'partner', 'agreement', 'mobility', 'target']),
  /** Its title at the time of the change. */
  subject: z.string(),
  /** What happened: created, deleted, or the fields changed (title, stage, signOffs, ...). */
  action: z.enum(['created', 'updated', 'deleted']),
  fields: z.array(z.string()),
  /**
   * The others who changed the same fields of the subject at the same time (two people typing in
   * one title): their edits are part of this entry rather than entries of their own. Entries
   * stored before it was recorded read as none.
   */
  coActors: z.array(z.object({ id: z.string(), name: z.string() })).default([]),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** `GET /api/boards/:boardId/history?cardId=&before=&limit=`. */
export const HistoryQuery = z.object({
  cardId: z.string().min(1).max(64).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;
