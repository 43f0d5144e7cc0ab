/**
 * Wire-level contract between the server and its clients: WebSocket close codes, the sync URL shape
 * and the socket.io events. Shared so that the server, the web app and scripts agree by construction.
 */

import { z } from 'zod';
import { BoardRole, type AppNotification } from './access.js';
import type { Department, ProposalStage } from './domain/vocabulary.js';
import type { MissingGate } from './domain/workflow.js';
import type { MeetingClientEvents, MeetingServerEvents } from './meeting.js';
import type { ProposalProgressClientEvents, ProposalProgressServerEvents } from './proposals/progress-events.js';
import type { WorkspaceRecordKind } from './workspace/permissions.js';

/**
 * WebSocket close codes the sync endpoint uses. Codes 4400-4499 mirror HTTP 4xx: a stock y-websocket
 * client treats them as final and stops reconnecting, which is what a refused or broken client needs.
 * Every other code (1009, 1012, ...) is transient and the client reconnects with backoff.
 */
export const CloseCode = {
  /** The client sent a message that is not valid y-websocket protocol. */
  MalformedMessage: 4400,
  /** No valid session cookie or API token accompanied the connection. */
  Unauthorized: 4401,
  /** The person is authenticated but may not open this board. */
  Forbidden: 4403,
  /** The board does not exist (or was deleted while open). */
  BoardNotFound: 4404,
  /** An update would make the board larger than the server accepts (`MAX_DOCUMENT_BYTES`); it was not applied. */
  DocumentTooLarge: 4413,
  /** The connection sent messages faster than the server accepts (`MAX_MESSAGES_PER_SECOND`). */
  TooManyMessages: 4429,
  /** The person's access ended: invite revoked or expired, account deactivated, signed out. */
  AccessRevoked: 4410,
  /** The person's role on the board changed; reconnecting applies the new one (transient). */
  AccessChanged: 4001,
  /** A frame exceeded the configured maximum size (RFC 6455 "message too big"). */
  MessageTooLarge: 1009,
  /** The server is restarting; clients reconnect (RFC 6455 "service restart"). */
  ServerRestarting: 1012,
  /**
   * The client stopped reading what it was sent, and its backlog passed what the server keeps for
   * one connection; it reconnects and resyncs (RFC 6455 "try again later").
   */
  TryAgainLater: 1013,
} as const;

export type CloseCodeName = keyof typeof CloseCode;

/** Looks up the name of a close code, for logs and error messages. */
export function closeCodeName(code: number): CloseCodeName | undefined {
  return (Object.keys(CloseCode) as CloseCodeName[]).find((name) => CloseCode[name] === code);
}

/** Path prefix of the y-websocket endpoint: a board syncs at `${SYNC_PATH}/${boardId}`, the workspace at `${SYNC_PATH}/workspace`. */
export const SYNC_PATH = '/sync';

/**
 * The internal document of a board (internal notes, budget, sign-off discussion): a separate Yjs
 * document, synced at `${SYNC_PATH}/${boardId}/internal`, that guest connections can never load.
 */
export function internalDocName(boardId: string): string {
  return `${boardId}/internal`;
}

/** Name of the httpOnly session cookie. */
export const SESSION_COOKIE = 'passerelle_session';

/** What changed in the list of boards; broadcast over socket.io to every signed-in client. */
export type BoardListEvent =
  | { type: 'created'; board: BoardSummary }
  | { type: 'renamed'; board: BoardSummary }
  | { type: 'deleted'; boardId: string };

/** A board as listed by `GET /api/boards`. */
export const BoardSummary = z.object({
  id: z.string(),
  title: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The caller's role on the board (absent in events broadcast to everyone: ask the API). */
  role: BoardRole.optional(),
});
export type BoardSummary = z.infer<typeof BoardSummary>;

/**
 * A change the server undid because it broke a workflow rule (a stage whose gates lack sign-offs, a
 * sign-off given for a department the person is not in). Sent to the person who made it.
 */
export interface WorkflowRefusal {
  boardId: string;
  cardId: string;
  /** missing_sign_offs: a stage past an unsigned gate; not_in_department: a sign-off given or withdrawn for another department; sign_off_locked: a withdrawal after the gate was passed. */
  reason: 'missing_sign_offs' | 'not_in_department' | 'sign_off_locked';
  /** The stage the proposal was moved to (missing_sign_offs). */
  target?: ProposalStage;
  missing?: MissingGate[];
  /** The department of the refused sign-off or withdrawal. */
  department?: Department;
}

/** A sync connection's document update was refused: the person may only read (viewer, commenter). */
export interface SyncRefusal {
  boardId: string;
  /** Which document, by its kind's name: `board`, `internal` (the board's internal document), ... */
  document: string;
  reason: 'read_only';
}

/**
 * A change of this person's to the workspace that the server did not keep, sent to them alone:
 * `not_allowed`, records (or settings) the record rules (`workspace/permissions.ts`) do not let them
 * change, which the server put back on every screen; `read_only`, they may only read the workspace,
 * and nothing of their change was taken.
 */
export interface WorkspaceRefusal {
  reason: 'not_allowed' | 'read_only';
  /** The records put back, each with what it is called (name, title or academic year). */
  records: { kind: WorkspaceRecordKind; id: string; name: string }[];
  /** Whether changes to the workspace settings were put back. */
  settings: boolean;
}

/** socket.io events the server sends. */
export interface ServerToClientEvents extends MeetingServerEvents, ProposalProgressServerEvents {
  'boards:changed': (event: BoardListEvent) => void;
  'workflow:refused': (event: WorkflowRefusal) => void;
  'sync:refused': (event: SyncRefusal) => void;
  'workspace:refused': (event: WorkspaceRefusal) => void;
  notification: (notification: AppNotification) => void;
  /** The person's access ended (revoked, expired, deactivated): the app signs out. */
  'access:ended': (event: { reason: 'revoked' | 'expired' | 'deactivated' }) => void;
}

/** socket.io events clients send: meeting controls and following a board's proposals (changes to boards go through sync and the HTTP API). */
export interface ClientToServerEvents extends MeetingClientEvents, ProposalProgressClientEvents {}
