/**
 * A document kind on the server: which sync paths name it, who may open it, and the hooks its rules
 * plug into the room. Adding a kind is one description in `shared/src/documents/`, one of these, and
 * its place in `DOCUMENT_KINDS` (`index.ts`); the room does not change.
 */
import type * as Y from 'yjs';
import { isId, type BoardRole, type WorkflowRefusal } from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import type { Principal } from '../auth/auth-service.js';
import type { SyncDocumentKind } from '../observability/metrics.js';
import type { BoardDirectory } from '../store/account-store.js';
import type { ChangeActor, DocumentHooks } from '../sync/hooks.js';
import type { RecordWrite, RefusedWrite } from './workspace-rules/record-guard.js';

/** A change to a board's document made by someone (a connection's update or a server edit on their behalf). */
export interface BoardChange {
  boardId: string;
  /** 'board' for the shareable document, 'internal' for the board's internal document. */
  document: 'board' | 'internal';
  doc: Y.Doc;
  transaction: Y.Transaction;
  actor: ChangeActor;
}

/** A change someone made to the workspace's records (a connection's update or a server edit on their behalf). */
export interface WorkspaceChange {
  doc: Y.Doc;
  transaction: Y.Transaction;
  actor: ChangeActor;
  /** The records it changed, without those the rules put back. */
  writes: RecordWrite[];
}

/** A document a sync path names: its kind and, for a board's documents, the board. */
export interface DocumentTarget {
  kind: ServerDocumentKind;
  /** The document's name (the sync path after `/sync/`). */
  name: string;
  /** The board the document belongs to; null for documents of no board (the workspace). */
  boardId: string | null;
}

/** What an access rule may consult. */
export interface AccessContext {
  directory: Pick<BoardDirectory, 'getBoard'>;
  access: BoardAccess;
  /** Whether the board was deleted a moment ago: its documents get no room, whatever the store says. */
  wasDeleted(boardId: string): boolean;
  /** Reads another document (a board's, to find the card a proposal belongs to); see `HookContext.withDocument`. */
  withDocument<T>(name: string, use: (doc: Y.Doc) => T): Promise<T>;
}

/** Who hears what the rules of a kind decide (the sync server's options). */
export interface DocumentEvents {
  /** Tells a person the server undid workflow changes of theirs. */
  onRefusals?: (userId: string, refusals: WorkflowRefusal[]) => void;
  /** Tells a read-only person that a document update of theirs was refused. */
  onWriteRefused?: (userId: string, boardId: string, document: SyncDocumentKind) => void;
  /** Called after each change someone made to a board's documents (history, notifications); must not throw. */
  onBoardChange?: (change: BoardChange) => void;
  /** Called after each change someone made to a proposal's documents (its progress on the board); must not throw. */
  onProposalChange?: (change: { boardId: string; cardId: string }) => void;
  /** Called after each change someone made to the workspace's records (history, audit, webhooks), without those put back; must not throw. */
  onWorkspaceChange?: (change: WorkspaceChange) => void;
  /** Called when the records or settings a person wrote through a connection were put back (audit). */
  onWorkspaceRefusal?: (refusal: { actor: { id: string; name: string }; refused: RefusedWrite[]; settings?: number }) => void;
  /** Called once a document is loaded and after each change made on this process (the search index); must not throw. */
  onDocumentContent?: (name: string, doc: Y.Doc) => void;
}

/** What hooks may use besides their own document. */
export interface HookContext {
  events: DocumentEvents;
  /**
   * Loads another document (or finds its room), runs `use` on it once loaded, waits until what
   * `use` changed is stored, and lets the document unload when nobody is on it.
   */
  withDocument<T>(name: string, use: (doc: Y.Doc) => T): Promise<T>;
}

export interface ServerDocumentKind {
  /** The kind's name, as in its shared description and the sync metrics. */
  name: SyncDocumentKind;
  /** The target a document name denotes when it is of this kind, else null. */
  parse(name: string): DocumentTarget | null;
  /** The name of this kind's document for a board, for kinds that belong to a board (deleted with it). */
  nameFor?(boardId: string): string;
  /**
   * The lowest role whose connections may write (default 'editor', as `can.edit`); below it a
   * connection is read-only and its updates are refused. A kind that lets a lower role write limits
   * what it may write in its `afterTransaction` rules (a proposal's commenter only suggests).
   */
  minimumWriteRole?: BoardRole;
  /** A principal's role on the document: null when refused, 'missing' when its board does not exist. */
  roleOf(principal: Principal, target: DocumentTarget, context: AccessContext): Promise<BoardRole | null | 'missing'>;
  /** The hooks of one document's room. */
  hooks(target: DocumentTarget, context: HookContext): DocumentHooks;
}

/**
 * The role rule every document of a board shares: a missing board (or one deleted a moment ago) is
 * 'missing' to a member and refused to a guest, who must not learn whether other boards exist.
 */
export async function boardExists(principal: Principal, boardId: string, context: AccessContext): Promise<true | null | 'missing'> {
  if (context.wasDeleted(boardId) || !(await context.directory.getBoard(boardId))) return principal.kind === 'guest' ? null : 'missing';
  return true;
}

/** The board id of a name `<boardId>` (with no `suffix`) or `<boardId>/<suffix>`, when the name has exactly that shape. */
export function boardIdIn(name: string, suffix: string | undefined): string | null {
  const [boardId, rest, ...more] = name.split('/');
  if (!isId(boardId) || more.length > 0 || rest !== suffix) return null;
  return boardId;
}
