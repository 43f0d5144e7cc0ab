import type { BoardRole, BoardSummary, WorkspaceAccess } from '@passerelle/shared';
import type { BoardAccessRecord, BoardDirectory } from '../account-store.js';
import { storedBoard } from '../stored-records.js';
import { storedBoardRole, storedWorkspaceAccess } from '../stored-values.js';
import { SqliteStore } from './sqlite-store.js';

/** The list of boards and their access in SQLite; deleting a board cascades (ON DELETE CASCADE) to its roles, guest invites and guests. */
export class SqliteBoardDirectory extends SqliteStore implements BoardDirectory {
  async createBoard(board: BoardSummary): Promise<void> {
    this.sql('INSERT INTO boards (id, title, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(board.id, board.title, board.createdBy, board.createdAt, board.updatedAt);
  }

  async getBoard(id: string): Promise<BoardSummary | undefined> {
    return this.row(storedBoard, 'SELECT * FROM boards WHERE id = ?', id);
  }

  async listBoards(): Promise<BoardSummary[]> {
    return this.rows(storedBoard, 'SELECT * FROM boards ORDER BY updated_at DESC');
  }

  async renameBoard(id: string, title: string, updatedAt: string): Promise<BoardSummary | undefined> {
    this.sql('UPDATE boards SET title = ?, updated_at = ? WHERE id = ?').run(title, updatedAt, id);
    return this.getBoard(id);
  }

  async deleteBoard(id: string): Promise<boolean> {
    return this.sql('DELETE FROM boards WHERE id = ?').run(id).changes > 0;
  }

  async getBoardAccess(boardId: string): Promise<BoardAccessRecord | undefined> {
    const board = this.sql('SELECT workspace_access FROM boards WHERE id = ?').get(boardId) as { workspace_access: string } | undefined;
    if (!board) return undefined;
    const members = this.sql('SELECT user_id, role FROM board_members WHERE board_id = ?').all(boardId) as { user_id: string; role: string }[];
    return {
      workspaceAccess: storedWorkspaceAccess(board.workspace_access),
      members: members.flatMap((m) => {
        const role = storedBoardRole(m.role);
        return role ? [{ userId: m.user_id, role }] : [];
      }),
    };
  }

  async workspaceAccessOf(boardIds: readonly string[]): Promise<Map<string, WorkspaceAccess>> {
    const rows = this.sql('SELECT id, workspace_access FROM boards WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(boardIds)) as { id: string; workspace_access: string }[];
    return new Map(rows.map((row) => [row.id, storedWorkspaceAccess(row.workspace_access)]));
  }

  async setWorkspaceAccess(boardId: string, access: WorkspaceAccess): Promise<void> {
    this.sql('UPDATE boards SET workspace_access = ? WHERE id = ?').run(access, boardId);
  }

  async setBoardMember(boardId: string, userId: string, role: BoardRole | null): Promise<void> {
    if (role === null) this.sql('DELETE FROM board_members WHERE board_id = ? AND user_id = ?').run(boardId, userId);
    else {
      this.sql('INSERT INTO board_members (board_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT (board_id, user_id) DO UPDATE SET role = excluded.role').run(boardId, userId, role);
    }
  }

  async boardRolesOf(userId: string): Promise<Map<string, BoardRole>> {
    const rows = this.sql('SELECT board_id, role FROM board_members WHERE user_id = ?').all(userId) as { board_id: string; role: string }[];
    const roles = new Map<string, BoardRole>();
    for (const row of rows) {
      const role = storedBoardRole(row.role);
      if (role) roles.set(row.board_id, role);
    }
    return roles;
  }
}
