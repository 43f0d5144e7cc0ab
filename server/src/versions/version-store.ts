import { z } from 'zod';
import { VersionKind, VersionSummary } from '@passerelle/shared';
import { storedRecord } from '../store/stored-values.js';

/** A version as stored: its metadata and the two Yjs states (each a full `Y.encodeStateAsUpdate`). */
export interface StoredVersion extends VersionSummary {
  /** The board document's state. */
  boardState: Uint8Array;
  /** The board's internal document's state (an empty document's state when it had none). */
  internalState: Uint8Array;
}

/**
 * A version's metadata as every store keeps it, who named it in two fields (`createdById`,
 * `createdByName`): read alike from a SQLite row and a Redis hash, refused whole when malformed.
 */
export const storedVersionSummary = storedRecord(
  'version',
  VersionSummary.omit({ createdBy: true }).extend({
    /** A kind another release wrote that this one does not know is shown as automatic rather than lost. */
    kind: VersionKind.catch('auto'),
    createdById: z.string().nullable(),
    createdByName: z.string().nullable(),
  }),
  ({ createdById, createdByName, ...summary }): VersionSummary => ({
    ...summary,
    createdBy: createdById ? { id: createdById, name: createdByName ?? '' } : null,
  }),
);

/**
 * Caps on what a board's versions may hold, applied by the store in the same step as it inserts a
 * version (one transaction, one Redis script), so that processes inserting at once cannot pass them.
 */
export interface VersionLimits {
  /** Named versions a board may have: one more is refused (named versions are never deleted to make room). */
  maxNamed: number;
  /** Bytes (both states) a board's versions may take: the oldest automatic ones go to make room, else the version is refused. */
  maxBytes: number;
}

/** A version refused because its board's versions are at a cap; nothing was stored nor deleted. */
export class VersionLimitError extends Error {
  constructor(
    /** Which cap: the number of named versions, or the bytes of all versions. */
    readonly limit: 'named' | 'bytes',
    /** The cap's value (a count or bytes). */
    readonly max: number,
  ) {
    super(limit === 'named' ? `the board has ${max} named versions, the most it may have` : `the board's versions would take more than ${max} bytes`);
    this.name = 'VersionLimitError';
  }
}

/** What a version weighs against `VersionLimits.maxBytes`: both of its states. */
export function versionBytes(version: Pick<StoredVersion, 'boardState' | 'internalState'>): number {
  return version.boardState.byteLength + version.internalState.byteLength;
}

/**
 * Which of a board's versions go to make room for `incoming` under `limits`: automatic ones, oldest
 * first, only as many as needed. `existing` is the board's versions oldest first. Throws
 * `VersionLimitError` when even then it does not fit, or when it is one named version too many.
 */
export function versionsToPrune(
  existing: readonly { id: string; kind: string; bytes: number }[],
  incoming: { kind: string; bytes: number },
  limits: VersionLimits,
): string[] {
  const named = existing.filter((version) => version.kind === 'named').length;
  if (incoming.kind === 'named' && named >= limits.maxNamed) throw new VersionLimitError('named', limits.maxNamed);
  let total = incoming.bytes + existing.reduce((sum, version) => sum + version.bytes, 0);
  const doomed: string[] = [];
  for (const version of existing) {
    if (total <= limits.maxBytes) break;
    if (version.kind === 'named') continue;
    doomed.push(version.id);
    total -= version.bytes;
  }
  if (total > limits.maxBytes) throw new VersionLimitError('bytes', limits.maxBytes);
  return doomed;
}

/**
 * Where board versions live. Kept apart from `AccountStore` so that the version history can grow
 * (or move) without touching accounts. The SQLite and in-memory implementations pass the same
 * contract suite (`test/unit/version-store.test.ts`).
 */
export interface VersionStore {
  /**
   * Stores a version; rejects when its id is taken. With `limits`, first deletes the board's oldest
   * automatic versions as needed to keep within them, or rejects with `VersionLimitError` (storing
   * and deleting nothing) when it cannot. Resolves with how many versions went to make room.
   */
  insert(version: StoredVersion, limits?: VersionLimits): Promise<{ pruned: number }>;
  /** A board's versions, newest first, without their states. */
  list(boardId: string): Promise<VersionSummary[]>;
  /** One version of a board with its states; undefined when it is not that board's. */
  get(boardId: string, versionId: string): Promise<StoredVersion | undefined>;
  /** Deletes one version of a board (someone chose to); false when it is not that board's. */
  delete(boardId: string, versionId: string): Promise<boolean>;
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
  /** Resolves when the store answers now, rejects otherwise (readiness); an in-memory store, with nothing to lose touch with, has none. */
  ping?(): Promise<void>;
  close(): Promise<void>;
}

/** Versions in memory, for servers without SQLite (tests with other stores). */
export class MemoryVersionStore implements VersionStore {
  /** Per board, in insertion order (oldest first). */
  readonly #byBoard = new Map<string, StoredVersion[]>();

  async insert(version: StoredVersion, limits?: VersionLimits): Promise<{ pruned: number }> {
    for (const versions of this.#byBoard.values()) {
      if (versions.some((v) => v.id === version.id)) throw new Error(`version ${version.id} exists`);
    }
    const existing = this.#byBoard.get(version.boardId) ?? [];
    const oldestFirst = newestFirst(existing).reverse();
    const doomed = new Set(
      limits ? versionsToPrune(oldestFirst.map((v) => ({ id: v.id, kind: v.kind, bytes: versionBytes(v) })), { kind: version.kind, bytes: versionBytes(version) }, limits) : [],
    );
    this.#byBoard.set(version.boardId, [...existing.filter((v) => !doomed.has(v.id)), copy(version)]);
    return { pruned: doomed.size };
  }

  async delete(boardId: string, versionId: string): Promise<boolean> {
    const versions = this.#byBoard.get(boardId) ?? [];
    const kept = versions.filter((v) => v.id !== versionId);
    this.#byBoard.set(boardId, kept);
    return kept.length < versions.length;
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
