/**
 * Every route the server answers, as the OpenAPI document describes it: method, path, tag, who may
 * call it, and the zod schemas of its body and answer where the server validates or builds them with
 * one. `test/integration/openapi.test.ts` checks that every route registered in Express is here.
 */
import { z } from 'zod';
import * as shared from '@passerelle/shared';

/** Who may call an operation. */
export type Caller = 'public' | 'signed-in' | 'member' | 'admin' | 'board-viewer' | 'board-commenter' | 'board-editor' | 'board-owner' | 'metrics-token';

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  tag: string;
  summary: string;
  caller: Caller;
  body?: z.ZodType;
  /** The success answer's schema, when the server builds it from one; `status` defaults to 200. */
  answer?: z.ZodType;
  status?: number;
}

const op = (method: Operation['method'], path: string, tag: string, caller: Caller, summary: string, more: Partial<Operation> = {}): Operation => ({ method, path, tag, caller, summary, ...more });

const CARDS = '/api/boards/{boardId}/cards';

/** The REST API over workspace records: five operations per collection. */
function recordOperations(): Operation[] {
  const operations: Operation[] = [];
  for (const [collection, schema] of Object.entries(shared.REST_RECORD_COLLECTIONS)) {
    const base = `/api/workspace/${collection}`;
    const record = z.intersection(schema, z.object({ id: z.string() }));
    operations.push(
      op('get', base, 'Workspace records', 'member', `List the workspace's ${collection}`, { answer: z.object({ records: z.array(record) }) }),
      op('get', `${base}/{recordId}`, 'Workspace records', 'member', `Read one of the workspace's ${collection}`, { answer: record }),
      op('post', base, 'Workspace records', 'member', `Create one of the workspace's ${collection} (validated with its record schema; defaults fill what is left out)`, { body: schema, answer: record, status: 201 }),
      op('patch', `${base}/{recordId}`, 'Workspace records', 'member', `Change fields of one of the workspace's ${collection} (only the fields given)`, { body: shared.patchOf(schema as z.ZodObject), answer: record }),
      op('delete', `${base}/{recordId}`, 'Workspace records', 'member', `Delete one of the workspace's ${collection}`, { status: 204 }),
    );
  }
  return operations;
}

/** Every operation of the server, by tag. */
export const OPERATIONS: Operation[] = [
  op('get', '/healthz', 'Operations', 'public', 'Liveness: the process answers'),
  op('get', '/readyz', 'Operations', 'public', 'Readiness: every store answers'),
  op('get', '/metrics', 'Operations', 'metrics-token', 'Prometheus metrics (bearer METRICS_TOKEN; 404 without one)'),
  op('get', '/calendar/{file}', 'Calendar', 'public', 'A calendar feed (iCalendar) by its secret address'),

  op('get', '/api/openapi.json', 'Reference', 'public', 'This document'),
  op('get', '/api/reference', 'Reference', 'public', 'This document as a readable page'),

  op('get', '/api/auth/setup-status', 'Sign-in', 'public', 'Whether the first administrator must still be created'),
  op('post', '/api/auth/setup', 'Sign-in', 'public', 'Create the first administrator with the setup link', { body: shared.SetupRequest, status: 201 }),
  op('post', '/api/auth/login', 'Sign-in', 'public', 'Sign in with a password (sets the session cookie)', { body: shared.LoginRequest }),
  op('get', '/api/auth/methods', 'Sign-in', 'public', 'The sign-in methods offered'),
  op('get', '/api/auth/sso/start', 'Sign-in', 'public', 'Start single sign-on (when configured)'),
  op('get', '/api/auth/sso/callback', 'Sign-in', 'public', 'Single sign-on callback (when configured)'),
  op('get', '/api/auth/saml/metadata', 'Sign-in', 'public', 'Passerelle’s SAML service provider metadata, to register it with a federation (when SAML is configured)'),
  op('get', '/api/auth/saml/start', 'Sign-in', 'public', 'Start SAML single sign-on (when configured)'),
  op('post', '/api/auth/saml/acs', 'Sign-in', 'public', 'The SAML assertion consumer service: the identity provider posts its signed answer here'),
  op('get', '/api/auth/saml/end-session', 'Sign-in', 'signed-in', 'Sign out at the SAML identity provider too (single logout, when its metadata offers it)'),
  op('get', '/api/auth/saml/logout', 'Sign-in', 'public', 'Back from the SAML identity provider’s single logout'),
  op('post', '/api/auth/saml/logout', 'Sign-in', 'public', 'Back from the SAML identity provider’s single logout (POST binding)'),
  op('get', '/api/auth/sso/end-session', 'Sign-in', 'public', 'Sign out at the provider too (when configured)'),
  op('post', '/api/auth/logout', 'Sign-in', 'public', 'Sign out', { status: 204 }),
  op('get', '/api/auth/password-reset', 'Sign-in', 'public', 'Check a password reset link'),
  op('post', '/api/auth/password-reset', 'Sign-in', 'public', 'Ask for a password reset e-mail', { body: shared.PasswordResetRequest, status: 202 }),
  op('post', '/api/auth/password-reset/confirm', 'Sign-in', 'public', 'Set a new password with a reset link', { body: shared.PasswordResetConfirmRequest }),
  op('post', '/api/auth/password', 'Sign-in', 'member', 'Change one’s password', { body: shared.ChangePasswordRequest }),
  op('get', '/api/auth/me', 'People', 'signed-in', 'Who is signed in'),
  op('patch', '/api/auth/me', 'People', 'signed-in', 'Change one’s name or language', { body: shared.UpdateMeRequest }),
  op('get', '/api/auth/mail-preferences', 'E-mail', 'member', 'One’s e-mail preferences'),
  op('put', '/api/auth/mail-preferences', 'E-mail', 'member', 'Change one’s e-mail preferences'),
  op('post', '/api/mail/unsubscribe', 'E-mail', 'public', 'Unsubscribe through a signed link', { body: shared.UnsubscribeRequest }),
  op('get', '/api/mail', 'E-mail', 'admin', 'The e-mail outbox’s state'),
  op('post', '/api/mail/test', 'E-mail', 'admin', 'Send a test e-mail'),

  op('get', '/api/people', 'People', 'member', 'Active members: names and departments'),
  op('get', '/api/users', 'People', 'admin', 'Every account'),
  op('post', '/api/users', 'People', 'admin', 'Create an account', { body: shared.CreateUserRequest, status: 201 }),
  op('patch', '/api/users/{userId}', 'People', 'admin', 'Change an account (departments, administrator, active)', { body: shared.UpdateUserRequest }),
  op('get', '/api/tokens', 'People', 'member', 'One’s API tokens'),
  op('post', '/api/tokens', 'People', 'member', 'Create an API token (its secret is shown once)', { body: shared.CreateTokenRequest, status: 201 }),
  op('delete', '/api/tokens/{tokenId}', 'People', 'member', 'Revoke an API token', { status: 204 }),
  op('get', '/api/audit', 'People', 'admin', 'The audit log'),

  op('get', '/api/boards', 'Boards', 'signed-in', 'The boards one may see, with one’s role'),
  op('post', '/api/boards', 'Boards', 'member', 'Create a board', { body: shared.CreateBoardRequest, status: 201 }),
  op('get', '/api/boards/{boardId}', 'Boards', 'board-viewer', 'One board'),
  op('patch', '/api/boards/{boardId}', 'Boards', 'board-owner', 'Rename a board', { body: shared.RenameBoardRequest }),
  op('delete', '/api/boards/{boardId}', 'Boards', 'board-owner', 'Delete a board and its documents', { status: 204 }),
  op('get', '/api/boards/{boardId}/sharing', 'Sharing', 'board-owner', 'Who may see a board'),
  op('patch', '/api/boards/{boardId}/sharing', 'Sharing', 'board-owner', 'The workspace’s access to a board', { body: shared.UpdateSharingRequest, status: 204 }),
  op('put', '/api/boards/{boardId}/members/{userId}', 'Sharing', 'board-owner', 'A member’s role on a board', { body: shared.SetMemberRoleRequest, status: 204 }),
  op('post', '/api/boards/{boardId}/guest-invites', 'Sharing', 'board-owner', 'Invite a partner guest', { body: shared.CreateGuestInviteRequest, status: 201 }),
  op('delete', '/api/boards/{boardId}/guest-invites/{inviteId}', 'Sharing', 'board-owner', 'Revoke a guest invite', { status: 204 }),
  op('delete', '/api/boards/{boardId}/guests/{guestId}', 'Sharing', 'board-owner', 'Remove a guest', { status: 204 }),
  op('get', '/api/guest-invites/{token}', 'Sharing', 'public', 'A guest invite by its link'),
  op('post', '/api/guest-invites/{token}/join', 'Sharing', 'public', 'Join a board as a partner guest', { body: shared.JoinAsGuestRequest }),
  op('get', '/api/invitations', 'Sharing', 'admin', 'Pending member invitations'),
  op('post', '/api/invitations', 'Sharing', 'admin', 'Invite a member', { body: shared.CreateInvitationRequest, status: 201 }),
  op('delete', '/api/invitations/{invitationId}', 'Sharing', 'admin', 'Revoke a member invitation', { status: 204 }),
  op('get', '/api/invitations/by-token/{token}', 'Sharing', 'public', 'A member invitation by its link'),
  op('post', '/api/invitations/by-token/{token}/accept', 'Sharing', 'public', 'Accept a member invitation', { body: shared.AcceptInvitationRequest }),
  op('get', '/api/search', 'Search', 'signed-in', 'Search what one may see'),

  op('get', '/api/boards/{boardId}/columns', 'Cards', 'board-viewer', 'A board’s columns, in order', { answer: shared.ColumnListResponse }),
  op('get', CARDS, 'Cards', 'board-viewer', 'A board’s cards, column by column (internal fields for members only)', { answer: shared.CardListResponse }),
  op('post', CARDS, 'Cards', 'board-editor', 'Create a card or a proposal (live in open boards; the workflow’s gates apply)', { body: shared.CreateCardRequest, answer: shared.RestCard, status: 201 }),
  op('get', `${CARDS}/{cardId}`, 'Cards', 'board-viewer', 'One card', { answer: shared.RestCard }),
  op('patch', `${CARDS}/{cardId}`, 'Cards', 'board-editor', 'Change a card’s fields or stage (409 `workflow_refused` when a gate lacks sign-offs)', { body: shared.UpdateCardRequest, answer: shared.RestCard }),
  op('post', `${CARDS}/{cardId}/move`, 'Cards', 'board-editor', 'Move a card to a position in a column', { body: shared.MoveCardRequest, answer: shared.RestCard }),
  op('delete', `${CARDS}/{cardId}`, 'Cards', 'board-editor', 'Delete a card', { status: 204 }),
  op('post', `${CARDS}/{cardId}/comments`, 'Cards', 'board-commenter', 'Comment on a card', { body: shared.CreateCommentRequest, status: 201 }),
  op('delete', `${CARDS}/{cardId}/comments/{commentId}`, 'Cards', 'board-commenter', 'Delete one’s comment', { status: 204 }),
  op('post', `${CARDS}/{cardId}/sign-off-requests`, 'Cards', 'board-editor', 'Ask departments for their sign-off', { body: shared.RequestSignOffRequest }),
  op('get', '/api/boards/{boardId}/history', 'Cards', 'board-viewer', 'A board’s history'),
  op('get', '/api/notifications', 'People', 'signed-in', 'One’s notifications'),
  op('post', '/api/notifications/read', 'People', 'signed-in', 'Mark notifications read', { body: shared.MarkNotificationsReadRequest }),

  op('get', '/api/boards/{boardId}/versions', 'Versions', 'board-viewer', 'A board’s versions'),
  op('post', '/api/boards/{boardId}/versions', 'Versions', 'board-editor', 'Name a version of a board', { body: shared.CreateVersionRequest, status: 201 }),
  op('delete', '/api/boards/{boardId}/versions/{versionId}', 'Versions', 'board-owner', 'Delete a version', { status: 204 }),
  op('get', '/api/boards/{boardId}/versions/{versionId}', 'Versions', 'board-viewer', 'One version'),
  op('post', '/api/boards/{boardId}/versions/{versionId}/restore', 'Versions', 'board-editor', 'Restore a board to a version'),
  op('get', '/api/boards/{boardId}/proposals/{cardId}/versions', 'Versions', 'board-viewer', 'A proposal’s versions'),
  op('post', '/api/boards/{boardId}/proposals/{cardId}/versions', 'Versions', 'board-editor', 'Name a version of a proposal', { body: shared.CreateProposalVersionRequest, status: 201 }),
  op('get', '/api/boards/{boardId}/proposals/{cardId}/versions/compare', 'Versions', 'board-viewer', 'Compare two versions of a proposal'),
  op('get', '/api/boards/{boardId}/proposals/{cardId}/versions/{versionId}', 'Versions', 'board-viewer', 'One version of a proposal'),
  op('post', '/api/boards/{boardId}/proposals/{cardId}/versions/{versionId}/restore', 'Versions', 'board-editor', 'Restore a proposal to a version'),
  op('delete', '/api/boards/{boardId}/proposals/{cardId}/versions/{versionId}', 'Versions', 'board-owner', 'Delete a version of a proposal', { status: 204 }),
  op('get', '/api/export', 'Versions', 'admin', 'Back up the whole workspace'),
  op('post', '/api/import', 'Versions', 'admin', 'Restore the workspace from a backup'),

  op('get', '/api/boards/{boardId}/proposals', 'Proposals', 'board-viewer', 'A board’s proposals with their progress'),
  op('get', '/api/proposals', 'Proposals', 'member', 'Proposals across boards'),
  op('get', '/api/proposals/agreement-links', 'Proposals', 'member', 'Which proposals led to which agreements'),
  op('get', '/api/boards/{boardId}/proposals/{cardId}/export', 'Proposals', 'board-viewer', 'Export a proposal (PDF or Word)'),
  op('post', '/api/boards/{boardId}/proposals/{cardId}/comments', 'Proposals', 'board-commenter', 'Comment on a proposal’s text', { body: shared.CreateProposalCommentRequest, status: 201 }),
  op('post', '/api/boards/{boardId}/proposals/{cardId}/comments/{commentId}/replies', 'Proposals', 'board-commenter', 'Reply to a comment', { body: shared.ReplyToProposalCommentRequest }),
  op('post', '/api/boards/{boardId}/proposals/{cardId}/comments/{commentId}/resolve', 'Proposals', 'board-commenter', 'Resolve a comment'),
  op('post', '/api/boards/{boardId}/proposals/{cardId}/comments/{commentId}/reopen', 'Proposals', 'board-commenter', 'Reopen a comment'),
  op('delete', '/api/boards/{boardId}/proposals/{cardId}/comments/{commentId}', 'Proposals', 'board-commenter', 'Delete a comment', { status: 204 }),
  op('get', '/api/templates', 'Proposals', 'member', 'Proposal templates'),
  op('get', '/api/templates/{templateId}', 'Proposals', 'member', 'One proposal template'),
  op('post', '/api/templates/{templateId}/copy', 'Proposals', 'admin', 'Copy a template into the workspace', { body: shared.CopyTemplateRequest, status: 201 }),
  op('put', '/api/templates/{templateId}', 'Proposals', 'admin', 'Edit a workspace template', { body: shared.UpdateTemplateRequest }),
  op('delete', '/api/templates/{templateId}', 'Proposals', 'admin', 'Delete a workspace template', { status: 204 }),
  op('get', '/api/calendar-feeds', 'Calendar', 'member', 'One’s calendar feeds'),
  op('post', '/api/calendar-feeds', 'Calendar', 'member', 'Create a calendar feed', { body: shared.CreateCalendarFeedRequest, status: 201 }),
  op('delete', '/api/calendar-feeds/{feedId}', 'Calendar', 'member', 'Delete a calendar feed', { status: 204 }),

  ...recordOperations(),
  op('get', '/api/workspace/history', 'Workspace records', 'member', 'Who changed which workspace record, and when (`?recordId=` for one record)'),
  op('get', '/api/workspace/versions', 'Workspace records', 'member', 'The workspace’s versions (automatic and named), newest first'),
  op('post', '/api/workspace/versions', 'Workspace records', 'member', 'Name a version of the workspace’s records (members who may change some record)', { body: shared.CreateVersionRequest, status: 201 }),
  op('get', '/api/workspace/versions/{versionId}', 'Workspace records', 'member', 'One version: its partners, agreements, mobility flows and targets, read-only'),
  op('post', '/api/workspace/versions/{versionId}/restore', 'Workspace records', 'admin', 'Restore the workspace’s records to a version, as a new change in their history'),
  op('delete', '/api/workspace/versions/{versionId}', 'Workspace records', 'admin', 'Delete a version of the workspace', { status: 204 }),

  op('get', '/api/boards/{boardId}/first-screen', 'Boards', 'board-viewer', 'The board’s first screen as last stored (columns and their first cards), served without loading the board (as it is now when the board is open); 204 when none is stored yet', { answer: shared.FirstScreen }),

  op('get', '/api/agreements', 'Agreements', 'member', 'The workspace’s agreements: partner, type, years, approval state'),
  op('get', '/api/agreements/{agreementId}/iia.xml', 'Agreements', 'member', 'An agreement as an EWP IIA v7 get response (XML, with its iia-hash)'),
  op('get', '/api/agreements/{agreementId}/agreement.pdf', 'Agreements', 'member', 'An agreement in the European Commission’s inter-institutional agreement layout (`?lang=fr|en`)'),
  op('post', '/api/agreements/{agreementId}/iia-compare', 'Agreements', 'member', 'Compare a partner’s IIA XML with the agreement, field by field; writes nothing'),

  op('get', '/api/sheets/{kind}', 'Spreadsheets', 'member', 'Partners, agreements, mobility flows or targets as CSV or XLSX (`?format=csv|xlsx&lang=&columns=`)'),
  op('get', '/api/boards/{boardId}/sheets/{kind}', 'Spreadsheets', 'board-viewer', 'A board’s proposals, roadmap or action items as CSV or XLSX'),
  op('post', '/api/sheets/{kind}/import/read', 'Spreadsheets', 'member', 'Read an uploaded spreadsheet’s headings and suggest where each column goes'),
  op('post', '/api/sheets/{kind}/import/dry-run', 'Spreadsheets', 'member', 'What an import would create or change per row, and every error; writes nothing'),
  op('post', '/api/sheets/{kind}/import/apply', 'Spreadsheets', 'member', 'Apply an import, all of it or nothing (the record rules hold: agreements managers, departments for their own figures)'),
  op('post', '/api/boards/import/trello', 'Spreadsheets', 'member', 'Import a Trello board export (JSON) as a new board', { status: 201 }),

  op('get', '/api/webhooks', 'Webhooks', 'admin', 'The workspace’s webhooks', { answer: shared.WebhookList }),
  op('post', '/api/webhooks', 'Webhooks', 'admin', 'Register a webhook (its signing secret is in this answer only)', { body: shared.CreateWebhookRequest, answer: shared.WebhookCreated, status: 201 }),
  op('get', '/api/webhooks/{webhookId}', 'Webhooks', 'admin', 'One webhook', { answer: shared.WebhookView }),
  op('patch', '/api/webhooks/{webhookId}', 'Webhooks', 'admin', 'Change a webhook', { body: shared.UpdateWebhookRequest, answer: shared.WebhookView }),
  op('delete', '/api/webhooks/{webhookId}', 'Webhooks', 'admin', 'Delete a webhook and its delivery log', { status: 204 }),
  op('post', '/api/webhooks/{webhookId}/test', 'Webhooks', 'admin', 'Send a test event (`ping`)', { status: 202 }),
  op('get', '/api/webhooks/{webhookId}/deliveries', 'Webhooks', 'admin', 'A webhook’s delivery log, newest first', { answer: shared.WebhookDeliveryList }),
];
