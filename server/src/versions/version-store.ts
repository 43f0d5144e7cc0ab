import { z } from 'zod';
import { VersionKind, VersionSummary } from '@passerelle/shared';
import { storedRecord } from '../store/stored-values.js';

/**
 * A version as stored: its metadata and the two Yjs states (each a full `Y.encodeStateAsUpdate`)
 * of what it is a version of (its `VersionTarget`): a board's document and its internal document,
 * or a proposal's shared document and its internal one.
 */
export interface StoredVersion extends VersionSummary {
  /** The board document's state (of a proposal's version: the proposal's shared document). */
  boardState: Uint8Array;
  /** The internal document's state, the board's or the proposal's (an empty document's state when it had none). */
  internalState: Uint8Array;
}

/**
 * What a version is a version of, within its board: `board` (the board and its internal document)
 * or `proposal/<cardId>` (a proposal's shared and internal documents, taken together so that a
 * restore brings both back consistently). Every store keeps it beside the version; a version read
 * or deleted under another target than its own is not found.
 */
export type VersionTarget = 'board' | 'workspace' | `proposal/${string}`;

/** The board's own versions: the default target of every `VersionStore` method. */
export const BOARD_TARGET: VersionTarget = 'board';

/**
 * The workspace document's versions: stored under `WORKSPACE_VERSIONS_OWNER` in place of a board
 * id (never a board's, which `isId` checks), with this target, so that they have caps of their own.
 */
export const WORKSPACE_TARGET: VersionTarget = 'workspace';

/** What the workspace's versions are stored under in place of a board id: the workspace document's name. */
export const WORKSPACE_VERSIONS_OWNER = 'workspace';

/** The target of a proposal card's versions. */
export function proposalTarget(cardId: string): VersionTarget {
  return `proposal/${cardId}`;
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
 * They count every version of the board, its proposals' included: the disk a board may take is one
 * share, whatever its versions are of.
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
 * contract suite (`test/unit/version-store.test.ts`). Each version belongs to a board and, within
 * it, to a `VersionTarget` (the board itself unless said otherwise).
 */
export interface VersionStore {
  /**
   * Stores a version of `target` (default the board); rejects when its id is taken. With `limits`,
   * first deletes the board's oldest automatic versions (of any target) as needed to keep within
   * them, or rejects with `VersionLimitError` (storing and deleting nothing) when it cannot.
   * Resolves with how many versions went to make room.
   */
  insert(version: StoredVersion, limits?: VersionLimits, target?: VersionTarget): Promise<{ pruned: number }>;
  /** The versions of a board's `target` (default the board), newest first, without their states. */
  list(boardId: string, target?: VersionTarget): Promise<VersionSummary[]>;
  /** One version of a board's `target` with its states; undefined when it is not theirs. */
  get(boardId: string, versionId: string, target?: VersionTarget): Promise<StoredVersion | undefined>;
  /** Deletes one version of a board's `target` (someone chose to); false when it is not theirs. */
  delete(boardId: string, versionId: string, target?: VersionTarget): Promise<boolean>;
  /** Deletes the automatic versions of a board's `target` beyond its `keep` newest ones; named ones are always kept. Returns how many went. */
  pruneAuto(boardId: string, keep: number, target?: VersionTarget): Promise<number>;
  /** Deletes every version of a board, of every target (the board was deleted, or an import is undone). */
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
  /** Per board, in insertion order (oldest first), each with its target. */
  readonly #byBoard = new Map<string, { version: StoredVersion; target: VersionTarget }[]>();

  async insert(version: StoredVersion, limits?: VersionLimits, target: VersionTarget = BOARD_TARGET): Promise<{ pruned: number }> {
    for (const entries of this.#byBoard.values()) {
      if (entries.some((entry) => entry.version.id === version.id)) throw new Error(`version ${version.id} exists`);
    }
    const existing = this.#byBoard.get(version.boardId) ?? [];
    const oldestFirst = newestFirst(existing).reverse();
    const doomed = new Set(
      limits
        ? versionsToPrune(oldestFirst.map(({ version: v }) => ({ id: v.id, kind: v.kind, bytes: versionBytes(v) })), { kind: version.kind, bytes: versionBytes(version) }, limits)
        : [],
    );
    this.#byBoard.set(version.boardId, [...existing.filter((entry) => !doomed.has(entry.version.id)), { version: copy(version), target }]);
    return { pruned: doomed.size };
  }

  async delete(boardId: string, versionId: string, target: VersionTarget = BOARD_TARGET): Promise<boolean> {
    const entries = this.#byBoard.get(boardId) ?? [];
    const kept = entries.filter((entry) => entry.version.id !== versionId || entry.target !== target);
    this.#byBoard.set(boardId, kept);
    return kept.length < entries.length;
  }

  async list(boardId: string, target: VersionTarget = BOARD_TARGET): Promise<VersionSummary[]> {
    return newestFirst(this.#of(boardId, target)).map(({ version }) => summaryOf(version));
  }

  async get(boardId: string, versionId: string, target: VersionTarget = BOARD_TARGET): Promise<StoredVersion | undefined> {
    const found = this.#of(boardId, target).find((entry) => entry.version.id === versionId);
    return found && copy(found.version);
  }

  async pruneAuto(boardId: string, keep: number, target: VersionTarget = BOARD_TARGET): Promise<number> {
    const doomed = new Set(newestFirst(this.#of(boardId, target)).filter((entry) => entry.version.kind === 'auto').slice(keep));
    this.#byBoard.set(boardId, (this.#byBoard.get(boardId) ?? []).filter((entry) => !doomed.has(entry)));
    return doomed.size;
  }

  async deleteBoard(boardId: string): Promise<void> {
    this.#byBoard.delete(boardId);
  }

  async close(): Promise<void> {}

  #of(boardId: string, target: VersionTarget): { version: StoredVersion; target: VersionTarget }[] {
    return (this.#byBoard.get(boardId) ?? []).filter((entry) => entry.target === target);
  }
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
function newestFirst<T extends { version: StoredVersion }>(entries: T[]): T[] {
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => b.entry.version.at.localeCompare(a.entry.version.at) || b.index - a.index)
    .map(({ entry }) => entry);
}
