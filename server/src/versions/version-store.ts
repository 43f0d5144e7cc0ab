import type { VersionSummary } from '@passerelle/shared';

/** A version as stored: its metadata and the two Yjs states (each a full `Y.encodeStateAsUpdate`). */
export interface StoredVersion extends VersionSummary {
  /** The board document's state. */
  boardState: Uint8Array;
  /** The board's internal document's state (an empty document's state when it had none). */
  internalState: Uint8Array;
}

/**
 * Where board versions live. Kept apart from `AccountStore` so that the version history can grow
 * (or move) without touching accounts. The SQLite and in-memory implementations pass the same
 * contract suite (`test/unit/version-store.test.ts`).
 */
export interface VersionStore {
  /** Stores a version; rejects when its id is taken. */
  insert(version: StoredVersion): Promise<void>;
  /** A board's versions, newest first, without their states. */
  list(boardId: string): Promise<VersionSummary[]>;
  /** One version of a board with its states; undefined when it is not that board's. */
  get(boardId: string, versionId: string): Promise<StoredVersion | undefined>;
  /** Deletes a board's automatic versions beyond its `keep` newest ones; named ones are always kept. Returns how many went. */
  pruneAuto(boardId: string, keep: number): Promise<number>;
  /** Deletes every version of a board (the board was deleted, or an import is undone). */
  deleteBoard(boardId: string): Promise<void>;
  /**
   * Stores shared by several processes (Redis): claims the board's next automatic version for
   * `forMs`, so that processes whose clients edit the same board take one between them per interval.
   * Resolves with 0 when this process has the claim, else how many ms remain of another's. Stores
   * of one process do not implement it: their one process is the only one taking versions.
   */
  claimAutomatic?(boardId: string, forMs: number): Promise<number>;
  close(): Promise<void>;
}

/** Versions in memory, for servers without SQLite (tests with other stores). */
export class MemoryVersionStore implements VersionStore {
  /** Per board, in insertion order (oldest first). */
  readonly #byBoard = new Map<string, StoredVersion[]>();

  async insert(version: StoredVersion): Promise<void> {
    for (const versions of this.#byBoard.values()) {
      if (versions.some((v) => v.id === version.id)) throw new Error(`version ${version.id} exists`);
    }
    const versions = this.#byBoard.get(version.boardId) ?? [];
    versions.push(copy(version));
    this.#byBoard.set(version.boardId, versions);
  }

  async list(boardId: string): Promise<VersionSummary[]> {
    return newestFirst(this.#byBoard.get(boardId) ?? []).map(summaryOf);
  }

  async get(boardId: string, versionId: string): Promise<StoredVersion | undefined> {
    const found = this.#byBoard.get(boardId)?.find((v) => v.id === versionId);
    return found && copy(found);
  }

  async pruneAuto(boardId: string, keep: number): Promise<number> {
    const versions = this.#byBoard.get(boardId) ?? [];
    const doomed = new Set(newestFirst(versions).filter((v) => v.kind === 'auto').slice(keep));
    this.#byBoard.set(boardId, versions.filter((v) => !doomed.has(v)));
    return doomed.size;
  }

  async deleteBoard(boardId: string): Promise<void> {
    this.#byBoard.delete(boardId);
  }

  async close(): Promise<void> {}
}

/** A version's metadata only. */
export function summaryOf(version: StoredVersion): VersionSummary {
  return {
    id: version.id,
    boardId: version.boardId,
    at: version.at,
    kind: version.kind,
    name: version.name,
    createdBy: version.createdBy && { ...version.createdBy },
    editors: version.editors.map((editor) => ({ ...editor })),
  };
}

function copy(version: StoredVersion): StoredVersion {
  return { ...summaryOf(version), boardState: version.boardState.slice(), internalState: version.internalState.slice() };
}

/** Newest first; among versions of the same instant, the one stored last first. */
function newestFirst(versions: StoredVersion[]): StoredVersion[] {
  return versions
    .map((version, index) => ({ version, index }))
    .sort((a, b) => b.version.at.localeCompare(a.version.at) || b.index - a.index)
    .map(({ version }) => version);
}
