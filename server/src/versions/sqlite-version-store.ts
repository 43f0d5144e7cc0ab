import type Database from 'better-sqlite3';
import type { VersionSummary } from '@passerelle/shared';
import { pingDatabase } from '../store/sqlite-database.js';
import { BOARD_TARGET, WORKSPACE_TARGET, storedVersionSummary, versionBytes, versionsToPrune, type StoredVersion, type VersionLimits, type VersionStore, type VersionTarget } from './version-store.js';

const SUMMARY_COLUMNS = 'id, board_id, at, kind, name, created_by_id, created_by_name, editors';

/** The table of a target's versions: the workspace's have a table of their own, under no board row. */
function tableOf(target: VersionTarget): 'board_versions' | 'workspace_versions' {
  return target === WORKSPACE_TARGET ? 'workspace_versions' : 'board_versions';
}

/**
 * Versions in the embedded database (table `board_versions`, see `sqlite-database.ts`). A version
 * belongs to its board row: deleting the board deletes its versions (ON DELETE CASCADE), its
 * proposals' included; its `target` column says what it is a version of. The workspace document's
 * versions (`WORKSPACE_TARGET`) are in `workspace_versions`, the same columns without the board row.
 */
export class SqliteVersionStore implements VersionStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  async insert(version: StoredVersion, limits?: VersionLimits, target: VersionTarget = BOARD_TARGET): Promise<{ pruned: number }> {
    // IMMEDIATE: the sizes read and the rows deleted and inserted are one step for every connection.
    return this.#db.transaction(() => {
      const table = tableOf(target);
      // Ids are unique across both tables, as the other stores' are across every version.
      if (this.#db.prepare('SELECT 1 FROM board_versions WHERE id = ? UNION ALL SELECT 1 FROM workspace_versions WHERE id = ?').get(version.id, version.id)) {
        throw new Error(`version ${version.id} exists`);
      }
      const doomed = limits ? versionsToPrune(this.#sizes(version.boardId, table), { kind: version.kind, bytes: versionBytes(version) }, limits) : [];
      const remove = this.#db.prepare(`DELETE FROM ${table} WHERE board_id = ? AND id = ?`);
      for (const id of doomed) remove.run(version.boardId, id);
      this.#db
        .prepare(
          `INSERT INTO ${table} (id, board_id, target, at, kind, name, created_by_id, created_by_name, editors, board_state, internal_state)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          version.id,
          version.boardId,
          target,
          version.at,
          version.kind,
          version.name,
          version.createdBy?.id ?? null,
          version.createdBy?.name ?? null,
          JSON.stringify(version.editors),
          Buffer.from(version.boardState),
          Buffer.from(version.internalState),
        );
      return { pruned: doomed.length };
    }).immediate();
  }

  /** A board's versions of every target, oldest first, with their sizes (`length` of a blob reads its header, not its bytes). */
  #sizes(boardId: string, table: string): { id: string; kind: string; bytes: number }[] {
    return this.#db
      .prepare(`SELECT id, kind, length(board_state) + length(internal_state) AS bytes FROM ${table} WHERE board_id = ? ORDER BY at ASC, rowid ASC`)
      .all(boardId) as { id: string; kind: string; bytes: number }[];
  }

  async delete(boardId: string, versionId: string, target: VersionTarget = BOARD_TARGET): Promise<boolean> {
    return this.#db.prepare(`DELETE FROM ${tableOf(target)} WHERE board_id = ? AND id = ? AND target = ?`).run(boardId, versionId, target).changes > 0;
  }

  async list(boardId: string, target: VersionTarget = BOARD_TARGET): Promise<VersionSummary[]> {
    return this.#db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM ${tableOf(target)} WHERE board_id = ? AND target = ? ORDER BY at DESC, rowid DESC`)
      .all(boardId, target)
      .map(storedVersionSummary.fromRow);
  }

  async get(boardId: string, versionId: string, target: VersionTarget = BOARD_TARGET): Promise<StoredVersion | undefined> {
    const row = this.#db.prepare(`SELECT * FROM ${tableOf(target)} WHERE board_id = ? AND id = ? AND target = ?`).get(boardId, versionId, target) as
      | { board_state: Buffer; internal_state: Buffer }
      | undefined;
    if (!row) return undefined;
    return { ...storedVersionSummary.fromRow(row), boardState: new Uint8Array(row.board_state), internalState: new Uint8Array(row.internal_state) };
  }

  async pruneAuto(boardId: string, keep: number, target: VersionTarget = BOARD_TARGET): Promise<number> {
    return this.#db
      .prepare(
        `DELETE FROM ${tableOf(target)} WHERE id IN (
           SELECT id FROM ${tableOf(target)} WHERE board_id = ? AND target = ? AND kind = 'auto' ORDER BY at DESC, rowid DESC LIMIT -1 OFFSET ?
         )`,
      )
      .run(boardId, target, keep).changes;
  }

  async deleteBoard(boardId: string): Promise<void> {
    this.#db.prepare('DELETE FROM board_versions WHERE board_id = ?').run(boardId);
  }

  async ping(): Promise<void> {
    pingDatabase(this.#db);
  }

  /** The database belongs to the app, which closes it. */
  async close(): Promise<void> {}
}
