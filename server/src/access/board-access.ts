import { higherRole, type BoardRole } from '@passerelle/shared';
import type { Principal } from '../auth/auth-service.js';
import type { BoardDirectory } from '../store/account-store.js';

/**
 * The one place that decides a principal's role on a board; REST, socket.io and the sync endpoint
 * all ask it, so that every channel applies the same rule:
 * - administrators own every board;
 * - a workspace member has the board's workspace access, raised by an explicit membership;
 * - a guest has their invite's role on the invite's board, and nothing anywhere else.
 */
export class BoardAccess {
  readonly #directory: BoardDirectory;

  constructor(directory: BoardDirectory) {
    this.#directory = directory;
  }

  /** The principal's role on a board, or null when they may not see it (or it does not exist). */
  async roleOf(principal: Principal, boardId: string): Promise<BoardRole | null> {
    if (principal.kind === 'guest') return principal.invite.boardId === boardId ? principal.invite.role : null;
    const access = await this.#directory.getBoardAccess(boardId);
    if (!access) return null;
    if (principal.user.isAdmin) return 'owner';
    const explicit = access.members.find((member) => member.userId === principal.id)?.role ?? null;
    const base = access.workspaceAccess === 'none' ? null : access.workspaceAccess;
    return higherRole(base, explicit);
  }

  /** The boards a member may see, with their role on each (guests: their one board). */
  async rolesOf(principal: Principal, boardIds: readonly string[]): Promise<Map<string, BoardRole>> {
    const roles = new Map<string, BoardRole>();
    if (principal.kind === 'guest') {
      if (boardIds.includes(principal.invite.boardId)) roles.set(principal.invite.boardId, principal.invite.role);
      return roles;
    }
    // Two queries whatever the number of boards: their workspace access, and this person's roles.
    const [workspaceAccess, explicit] = await Promise.all([
      this.#directory.workspaceAccessOf(boardIds),
      principal.user.isAdmin ? new Map<string, BoardRole>() : this.#directory.boardRolesOf(principal.id),
    ]);
    for (const [boardId, access] of workspaceAccess) {
      const role = principal.user.isAdmin ? 'owner' : higherRole(access === 'none' ? null : access, explicit.get(boardId) ?? null);
      if (role) roles.set(boardId, role);
    }
    return roles;
  }
}
