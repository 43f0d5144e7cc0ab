import type Database from 'better-sqlite3';
import { VersionKind, type VersionPerson, type VersionSummary } from '@passerelle/shared';
import { pingDatabase } from '../store/sqlite-database.js';
import { versionBytes, versionsToPrune, type StoredVersion, type VersionLimits, type VersionStore } from './version-store.js';

interface VersionRow {
  id: string;
  board_id: string;
  at: string;
  kind: string;
  name: string | null;
  created_by_id: string | null;
  created_by_name: string | null;
  editors: string;
  board_state?: Buffer;
  internal_state?: Buffer;
}

const SUMMARY_COLUMNS = 'id, board_id, at, kind, name, created_by_id, created_by_name, editors';

/**
 * Versions in the embedded database (table `board_versions`, see `sqlite-database.ts`). A version
 * belongs to its board row: deleting the board deletes its versions (ON DELETE CASCADE).
 */
export class SqliteVersionStore implements VersionStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  async insert(version: StoredVersion, limits?: VersionLimits): Promise<{ pruned: number }> {
    // IMMEDIATE: the sizes read and the rows deleted and inserted are one step for every connection.
    return this.#db.transaction(() => {
      const doomed = limits ? versionsToPrune(this.#sizes(version.boardId), { kind: version.kind, bytes: versionBytes(version) }, limits) : [];
      const remove = this.#db.prepare('DELETE FROM board_versions WHERE board_id = ? AND id = ?');
      for (const id of doomed) remove.run(version.boardId, id);
      this.#db
        .prepare(
          `INSERT INTO board_versions (id, board_id, at, kind, name, created_by_id, created_by_name, editors, board_state, internal_state)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          version.id,
          version.boardId,
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

  /** A board's versions, oldest first, with their sizes (`length` of a blob reads its header, not its bytes). */
  #sizes(boardId: string): { id: string; kind: string; bytes: number }[] {
    return this.#db
      .prepare('SELECT id, kind, length(board_state) + length(internal_state) AS bytes FROM board_versions WHERE board_id = ? ORDER BY at ASC, rowid ASC')
      .all(boardId) as { id: string; kind: string; bytes: number }[];
  }

  async delete(boardId: string, versionId: string): Promise<boolean> {
    return this.#db.prepare('DELETE FROM board_versions WHERE board_id = ? AND id = ?').run(boardId, versionId).changes > 0;
  }

  async list(boardId: string): Promise<VersionSummary[]> {
    const rows = this.#db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM board_versions WHERE board_id = ? ORDER BY at DESC, rowid DESC`)
      .all(boardId) as VersionRow[];
    return rows.map(toSummary);
  }

  async get(boardId: string, versionId: string): Promise<StoredVersion | undefined> {
    const row = this.#db.prepare('SELECT * FROM board_versions WHERE board_id = ? AND id = ?').get(boardId, versionId) as VersionRow | undefined;
    if (!row) return undefined;
    return { ...toSummary(row), boardState: new Uint8Array(row.board_state!), internalState: new Uint8Array(row.internal_state!) };
  }

  async pruneAuto(boardId: string, keep: number): Promise<number> {
    return this.#db
      .prepare(
        `DELETE FROM board_versions WHERE id IN (
           SELECT id FROM board_versions WHERE board_id = ? AND kind = 'auto' ORDER BY at DESC, rowid DESC LIMIT -1 OFFSET ?
         )`,
      )
      .run(boardId, keep).changes;
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

function toSummary(row: VersionRow): VersionSummary {
  return {
    id: row.id,
    boardId: row.board_id,
    at: row.at,
    // A row another version wrote with a kind we do not know is shown as automatic rather than lost.
    kind: VersionKind.safeParse(row.kind).data ?? 'auto',
    name: row.name,
    createdBy: row.created_by_id ? { id: row.created_by_id, name: row.created_by_name ?? '' } : null,
    editors: parseEditors(row.editors),
  };
}

function parseEditors(json: string): VersionPerson[] {
  try {
    const value: unknown = JSON.parse(json);
    if (!Array.isArray(value)) return [];
    return value
      .filter((p): p is VersionPerson => typeof p?.id === 'string' && typeof p?.name === 'string')
      .map((p) => ({ id: p.id, name: p.name }));
  } catch {
    return [];
  }
}
