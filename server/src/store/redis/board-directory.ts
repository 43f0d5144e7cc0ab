import type { BoardRole, BoardSummary, WorkspaceAccess } from '@passerelle/shared';
import type { BoardAccessRecord, BoardDirectory } from '../account-store.js';
import { storedBoardRole, storedWorkspaceAccess } from '../stored-values.js';
import { storedBoard } from '../stored-records.js';
import { exists, pairsOf, sortByText, compareText, type AccountsKeyspace, type Fields } from './accounts-keyspace.js';

/** The list of boards and their access in Redis; deleting a board takes its roles, guest invites, guests and their sessions. */
export class RedisBoardDirectory implements BoardDirectory {
  readonly #ks: AccountsKeyspace;

  constructor(keyspace: AccountsKeyspace) {
    this.#ks = keyspace;
  }

  // ---- Boards and access -------------------------------------------------------------------------

  async createBoard(board: BoardSummary): Promise<void> {
    const status = await this.#ks.run(
      'INSERT',
      [this.#ks.key('board', board.id), this.#ks.key('boards'), this.#ks.key('seq'), this.#ks.key('board', board.id), this.#ks.key('user', board.createdBy)],
      [
        board.id,
        '',
        '1',
        // A new board is open to every member as an editor, as the SQLite column's default.
        ...pairsOf({ id: board.id, title: board.title, createdBy: board.createdBy, createdAt: board.createdAt, updatedAt: board.updatedAt, workspaceAccess: 'editor' }),
      ],
    );
    this.#ks.check(status, [`user ${board.createdBy}`], `board ${board.id}`);
  }

  async getBoard(id: string): Promise<BoardSummary | undefined> {
    const fields = await this.#ks.hash(this.#ks.key('board', id));
    return exists(fields) ? storedBoard.fromFields(fields) : undefined;
  }

  async listBoards(): Promise<BoardSummary[]> {
    const records = await this.#ks.records(await this.#ks.members(this.#ks.key('boards')), (id) => this.#ks.key('board', id));
    return sortByText(records.map(storedBoard.fromFields), (board) => board.updatedAt, 'desc');
  }

  async renameBoard(id: string, title: string, updatedAt: string): Promise<BoardSummary | undefined> {
    await this.#ks.patch(this.#ks.key('board', id), { title, updatedAt });
    return this.getBoard(id);
  }

  async deleteBoard(id: string): Promise<boolean> {
    const deleted = await this.#ks.run(
      'DELETE_BOARD',
      [this.#ks.key('board', id), this.#ks.key('boards'), this.#ks.key('board', id, 'members'), this.#ks.key('board', id, 'guest-invites'), this.#ks.key('guest-invites', 'by-token')],
      [id],
    );
    return deleted === 1;
  }

  async workspaceAccessOf(boardIds: readonly string[]): Promise<Map<string, WorkspaceAccess>> {
    await this.#ks.connected;
    const access = new Map<string, WorkspaceAccess>();
    if (boardIds.length === 0) return access;
    // One round trip for every board.
    const pipeline = this.#ks.client.multi();
    for (const boardId of boardIds) pipeline.hGet(this.#ks.key('board', boardId), 'workspaceAccess');
    const replies = (await pipeline.execAsPipeline()) as unknown as (string | null)[];
    boardIds.forEach((boardId, index) => {
      const stored = replies[index];
      if (stored !== null && stored !== undefined) access.set(boardId, storedWorkspaceAccess(stored));
    });
    return access;
  }

  async getBoardAccess(boardId: string): Promise<BoardAccessRecord | undefined> {
    await this.#ks.connected;
    // One MULTI: the board's setting and its members as of the same moment.
    const [workspaceAccess, members] = (await this.#ks.client
      .multi()
      .hGet(this.#ks.key('board', boardId), 'workspaceAccess')
      .hGetAll(this.#ks.key('board', boardId, 'members'))
      .exec()) as unknown as [string | null, Fields];
    if (workspaceAccess === null || workspaceAccess === undefined) return undefined;
    return {
      workspaceAccess: storedWorkspaceAccess(workspaceAccess),
      // By user id, as SQLite reads them through the (board_id, user_id) primary key.
      members: Object.entries(members)
        .sort(([a], [b]) => compareText(a, b))
        .flatMap(([userId, stored]) => {
          const role = storedBoardRole(stored);
          return role ? [{ userId, role }] : [];
        }),
    };
  }

  async setWorkspaceAccess(boardId: string, access: WorkspaceAccess): Promise<void> {
    await this.#ks.patch(this.#ks.key('board', boardId), { workspaceAccess: access });
  }

  async setBoardMember(boardId: string, userId: string, role: BoardRole | null): Promise<void> {
    const status = await this.#ks.run(
      'SET_BOARD_MEMBER',
      [this.#ks.key('board', boardId), this.#ks.key('user', userId), this.#ks.key('board', boardId, 'members'), this.#ks.key('user', userId, 'boards')],
      [boardId, userId, role ?? ''],
    );
    this.#ks.check(status, [`board ${boardId}`, `user ${userId}`], `member ${userId} of board ${boardId}`);
  }

  async boardRolesOf(userId: string): Promise<Map<string, BoardRole>> {
    const stored = await this.#ks.hash(this.#ks.key('user', userId, 'boards'));
    const roles = new Map<string, BoardRole>();
    for (const [boardId, value] of Object.entries(stored)) {
      const role = storedBoardRole(value);
      if (role) roles.set(boardId, role);
    }
    return roles;
  }
}
