/**
 * The workspace archive: every board (summary, sharing, board and internal documents, versions,
 * and its proposals: each card's shared and internal proposal documents with their versions),
 * the workspace document and the people, as one JSON document (`WorkspaceArchive`). Documents are
 * full Yjs states in base64, so an import restores exactly what was exported.
 *
 * An import goes into a workspace that has no board and no workspace records yet (a fresh server,
 * or one just set up), keeping every id; people are matched by id, then by email (the administrator
 * who imports usually has the same email as on the old server), and created otherwise, with their
 * password hashes, so they sign in as before. The whole archive is checked before anything is
 * written, and an import is all or nothing: a write that fails midway removes everything already
 * written (people it created, boards, documents, versions, workspace records). Board ids are never
 * the name of another document (`isId`), so an archive cannot write into the workspace document.
 */
import type { Logger } from 'pino';
import * as Y from 'yjs';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  BOARD_SCHEMA_VERSION,
  BoardDoc,
  INTERNAL_SCHEMA_VERSION,
  InternalDoc,
  PROPOSAL_SCHEMA_VERSION,
  ProposalDoc,
  WORKSPACE_DOC,
  WORKSPACE_SCHEMA_VERSION,
  WorkspaceArchive,
  WorkspaceDoc,
  internalDocName,
  parseProposalDocName,
  proposalDocName,
  proposalInternalDocName,
  type ArchiveBoard,
  type ArchiveVersion,
  type BoardSummary,
  type ImportResult,
  type MessageKey,
  type VersionPerson,
} from '@passerelle/shared';
import type { BoardDirectory, PeopleStore } from '../store/account-store.js';
import type { DocumentStore } from '../store/document-store.js';
import { ServerEdit, type SyncServer } from '../sync/sync-server.js';
import { restoreDocument } from './restore.js';
import type { VersionService } from './version-service.js';
import { BOARD_TARGET, proposalTarget, type StoredVersion, type VersionStore, type VersionTarget } from './version-store.js';

/** Why an archive was refused: each problem with where it is and a catalog key saying what it is. */
export class ArchiveError extends Error {
  constructor(readonly problems: { path: string; key: MessageKey }[]) {
    super(problems.map((problem) => `${problem.path}: ${problem.key}`).join('; '));
    this.name = 'ArchiveError';
  }
}

export interface WorkspaceArchiverOptions {
  /** Whole-workspace export and import: people and the board directory. */
  people: PeopleStore;
  directory: BoardDirectory;
  documents: DocumentStore;
  versionStore: VersionStore;
  /** Reads current document states (live room first, then the store); forgets the versions of an undone import's boards. */
  versions: Pick<VersionService, 'currentState' | 'forgetBoard'>;
  /** Writes the workspace document through its room, so that connected members receive it; closes an undone import's boards. */
  sync: Pick<SyncServer, 'editDocument' | 'deleteBoard'>;
  logger: Logger;
}

/** What an import has written so far, which undoing it removes. */
interface WrittenSoFar {
  /** Ids of the people it created (not those it matched). */
  people: string[];
  boards: string[];
  /** Whether it started writing the workspace document. */
  workspace: boolean;
}

/** The archive's problems report at most this many entries: enough to fix a file, short enough to read. */
const MAX_PROBLEMS = 20;

/** Exports and imports the whole workspace. */
export class WorkspaceArchiver {
  readonly #options: WorkspaceArchiverOptions;

  constructor(options: WorkspaceArchiverOptions) {
    this.#options = options;
  }

  /** The whole workspace as one archive; people, boards and members in a stable order. */
  async export(): Promise<WorkspaceArchive> {
    const { directory, documents, versions } = this.#options;
    const people = (await this.#options.people.listUsers()).sort((a, b) => a.email.localeCompare(b.email));
    // A card has a proposal once its document was stored (opening it writes its sections).
    const proposalCards = new Map<string, Set<string>>();
    for (const name of await documents.list()) {
      const proposal = parseProposalDocName(name);
      if (proposal) proposalCards.set(proposal.boardId, (proposalCards.get(proposal.boardId) ?? new Set()).add(proposal.cardId));
    }
    const boards: ArchiveBoard[] = [];
    for (const summary of (await directory.listBoards()).sort((a, b) => a.id.localeCompare(b.id))) {
      const sharing = (await directory.getBoardAccess(summary.id)) ?? { workspaceAccess: 'editor' as const, members: [] };
      const proposals = [];
      for (const cardId of [...(proposalCards.get(summary.id) ?? [])].sort()) {
        proposals.push({
          cardId,
          shared: toBase64(await versions.currentState(proposalDocName(summary.id, cardId))),
          internal: toBase64(await versions.currentState(proposalInternalDocName(summary.id, cardId))),
          versions: await this.#versionsOf(summary.id, proposalTarget(cardId)),
        });
      }
      boards.push({
        summary: { id: summary.id, title: summary.title, createdBy: summary.createdBy, createdAt: summary.createdAt, updatedAt: summary.updatedAt },
        sharing: {
          workspaceAccess: sharing.workspaceAccess,
          members: [...sharing.members].sort((a, b) => a.userId.localeCompare(b.userId)).map((m) => ({ userId: m.userId, role: m.role })),
        },
        board: toBase64(await versions.currentState(summary.id)),
        internal: toBase64(await versions.currentState(internalDocName(summary.id))),
        versions: await this.#versionsOf(summary.id, BOARD_TARGET),
        proposals,
      });
    }
    return {
      format: ARCHIVE_FORMAT,
      formatVersion: ARCHIVE_VERSION,
      exportedAt: new Date().toISOString(),
      people: people.map((user) => ({
        id: user.id,
        email: user.email,
        name: user.name,
        passwordHash: user.passwordHash,
        isAdmin: user.isAdmin,
        managesAgreements: user.managesAgreements,
        locale: user.locale,
        departments: [...user.departments],
        createdAt: user.createdAt,
        deactivatedAt: user.deactivatedAt,
      })),
      workspace: toBase64(await versions.currentState(WORKSPACE_DOC)),
      boards,
    };
  }

  /** The versions of a board's `target` with their states, newest first, as an archive holds them. */
  async #versionsOf(boardId: string, target: VersionTarget): Promise<ArchiveVersion[]> {
    const { versionStore } = this.#options;
    const archived: ArchiveVersion[] = [];
    for (const version of await versionStore.list(boardId, target)) {
      const full = await versionStore.get(boardId, version.id, target);
      if (!full) continue;
      archived.push({
        id: full.id,
        at: full.at,
        kind: full.kind,
        name: full.name,
        createdBy: full.createdBy,
        editors: full.editors,
        board: toBase64(full.boardState),
        internal: toBase64(full.internalState),
      });
    }
    return archived;
  }

  /**
   * Checks an archive (any JSON value) completely, then restores it, all or nothing. Throws
   * `ArchiveError` before writing anything when the archive is malformed or the workspace is not
   * empty; any other failure while writing undoes what was written, then rethrows.
   */
  async import(input: unknown, actor: VersionPerson): Promise<{ result: ImportResult; boards: BoardSummary[] }> {
    const archive = parseArchive(input);
    const decoded = decodeDocuments(archive);
    const workspaceBefore = await this.#checkTarget(archive);

    const { people, directory, documents, versionStore, sync, logger } = this.#options;
    const written: WrittenSoFar = { people: [], boards: [], workspace: false };
    const userIds = new Map<string, string>();
    let peopleMatched = 0;
    let versionCount = 0;
    const summaries: BoardSummary[] = [];
    try {
      // People first (boards name their creator and members), created deactivated: no one signs
      // in to an account of an import that may still be undone. They are activated last.
      const importing = new Date().toISOString();
      for (const person of archive.people) {
        const existing = (await people.findUserById(person.id)) ?? (await people.findUserByEmail(person.email));
        if (existing) {
          userIds.set(person.id, existing.id);
          peopleMatched++;
          continue;
        }
        await people.createUser({ ...person, departments: [...person.departments], deactivatedAt: person.deactivatedAt ?? importing });
        written.people.push(person.id);
        userIds.set(person.id, person.id);
      }
      const userId = (id: string) => userIds.get(id) ?? id;

      for (const [index, board] of archive.boards.entries()) {
        const summary: BoardSummary = { ...board.summary, createdBy: userId(board.summary.createdBy) };
        await directory.createBoard(summary);
        // Only once created: a board this import could not create (another has its id) is not its to undo.
        written.boards.push(summary.id);
        summaries.push(summary);
        await directory.setWorkspaceAccess(summary.id, board.sharing.workspaceAccess);
        for (const member of board.sharing.members) await directory.setBoardMember(summary.id, userId(member.userId), member.role);
        await documents.append(summary.id, decoded.boards[index].board);
        await documents.append(internalDocName(summary.id), decoded.boards[index].internal);
        const mapPerson = (person: VersionPerson) => ({ id: userId(person.id), name: person.name });
        // Oldest first, so that versions of the same instant keep their order. No caps here: an
        // archive restores the history it holds, named versions included.
        const insertVersions = async (archived: ArchiveVersion[], states: { board: Uint8Array; internal: Uint8Array }[], target: VersionTarget) => {
          for (const [v, version] of [...archived.entries()].reverse()) {
            const stored: StoredVersion = {
              id: version.id,
              boardId: summary.id,
              at: version.at,
              kind: version.kind,
              name: version.name,
              createdBy: version.createdBy && mapPerson(version.createdBy),
              editors: version.editors.map(mapPerson),
              boardState: states[v]!.board,
              internalState: states[v]!.internal,
            };
            await versionStore.insert(stored, undefined, target);
            versionCount++;
          }
        };
        await insertVersions(board.versions, decoded.boards[index].versions, BOARD_TARGET);
        for (const [p, proposal] of board.proposals.entries()) {
          const states = decoded.boards[index].proposals[p]!;
          await documents.append(proposalDocName(summary.id, proposal.cardId), states.shared);
          await documents.append(proposalInternalDocName(summary.id, proposal.cardId), states.internal);
          await insertVersions(proposal.versions, states.versions, proposalTarget(proposal.cardId));
        }
      }
      written.workspace = true;
      await sync.editDocument(WORKSPACE_DOC, (doc) => Y.applyUpdate(doc, decoded.workspace), actor);
      for (const person of archive.people) {
        if (written.people.includes(person.id) && person.deactivatedAt === null) await people.updateUser(person.id, { deactivatedAt: null });
      }
    } catch (error) {
      logger.error({ err: error }, 'import failed while writing; removing what it wrote');
      await this.#undo(written, workspaceBefore, actor);
      throw error;
    }
    const result: ImportResult = { boards: summaries.length, peopleCreated: written.people.length, peopleMatched, versions: versionCount };
    logger.info(result, 'workspace imported');
    return { result, boards: summaries };
  }

  /**
   * Removes what a failed import wrote, every step tried whatever the others do: the workspace
   * document back to its state before, then the boards (their rooms closed, documents, versions,
   * rows), then the people it created (a board names its creator, so boards go first).
   */
  async #undo(written: WrittenSoFar, workspaceBefore: Uint8Array, actor: VersionPerson): Promise<void> {
    const { people, directory, documents, versions, sync, logger } = this.#options;
    const attempt = async (what: string, step: () => Promise<unknown>) => {
      try {
        await step();
      } catch (error) {
        logger.error({ err: error, what }, 'undoing a failed import left this behind');
      }
    };
    if (written.workspace) {
      const before = new Y.Doc();
      Y.applyUpdate(before, workspaceBefore);
      await attempt('workspace', () => sync.editDocument(WORKSPACE_DOC, (doc) => restoreDocument(doc, before, 'workspace', new ServerEdit(actor)), actor));
    }
    for (const boardId of written.boards) {
      await attempt(`board ${boardId} documents`, () => sync.deleteBoard(boardId));
      await attempt(`board ${boardId} internal document`, () => documents.delete(internalDocName(boardId)));
      await attempt(`board ${boardId} versions`, () => versions.forgetBoard(boardId));
      await attempt(`board ${boardId}`, () => directory.deleteBoard(boardId));
    }
    for (const personId of written.people) await attempt(`person ${personId}`, () => people.deleteImportedUser(personId));
  }

  /** An import restores a whole workspace: it goes into one without boards nor workspace records. */
  async #checkTarget(archive: WorkspaceArchive): Promise<Uint8Array> {
    const { directory, documents, versions } = this.#options;
    if ((await directory.listBoards()).length > 0) throw new ArchiveError([{ path: '', key: 'versions.archive.notEmpty' }]);
    const workspaceState = await versions.currentState(WORKSPACE_DOC);
    const workspace = new Y.Doc();
    Y.applyUpdate(workspace, workspaceState);
    if (!isEmptyWorkspace(new WorkspaceDoc(workspace))) throw new ArchiveError([{ path: '', key: 'versions.archive.notEmpty' }]);
    // Documents left behind under an archived board's id would merge with the imported ones.
    for (const board of archive.boards) {
      const proposalNames = board.proposals.flatMap(({ cardId }) => [proposalDocName(board.summary.id, cardId), proposalInternalDocName(board.summary.id, cardId)]);
      for (const name of [board.summary.id, internalDocName(board.summary.id), ...proposalNames]) {
        const stored = await documents.load(name);
        if (stored.updates.length > 0) throw new ArchiveError([{ path: '', key: 'versions.archive.notEmpty' }]);
      }
    }
    return workspaceState;
  }
}

/** Validates the archive's shape and its references (ids unique, members and creators among its people). */
export function parseArchive(input: unknown): WorkspaceArchive {
  if (typeof input !== 'object' || input === null || (input as { format?: unknown }).format !== ARCHIVE_FORMAT) {
    throw new ArchiveError([{ path: 'format', key: 'versions.archive.notAnArchive' }]);
  }
  if ((input as { formatVersion?: unknown }).formatVersion !== ARCHIVE_VERSION) {
    throw new ArchiveError([{ path: 'formatVersion', key: 'versions.archive.unsupportedVersion' }]);
  }
  const parsed = WorkspaceArchive.safeParse(input);
  if (!parsed.success) {
    throw new ArchiveError(parsed.error.issues.slice(0, MAX_PROBLEMS).map((issue) => ({ path: issue.path.join('.'), key: 'versions.archive.invalidField' })));
  }
  const archive = parsed.data;
  const problems: { path: string; key: MessageKey }[] = [];
  const duplicate = (values: string[], path: string) => {
    const seen = new Set<string>();
    values.forEach((value, index) => {
      if (seen.has(value)) problems.push({ path: `${path}.${index}`, key: 'versions.archive.duplicate' });
      seen.add(value);
    });
  };
  duplicate(archive.people.map((p) => p.id), 'people');
  duplicate(archive.people.map((p) => p.email), 'people');
  duplicate(archive.boards.map((b) => b.summary.id), 'boards');
  duplicate(archive.boards.flatMap((b) => [...b.versions, ...b.proposals.flatMap((p) => p.versions)].map((v) => v.id)), 'versions');
  archive.boards.forEach((board, b) => duplicate(board.proposals.map((p) => p.cardId), `boards.${b}.proposals`));
  const people = new Set(archive.people.map((p) => p.id));
  archive.boards.forEach((board, b) => {
    if (!people.has(board.summary.createdBy)) problems.push({ path: `boards.${b}.summary.createdBy`, key: 'versions.archive.unknownPerson' });
    board.sharing.members.forEach((member, m) => {
      if (!people.has(member.userId)) problems.push({ path: `boards.${b}.sharing.members.${m}.userId`, key: 'versions.archive.unknownPerson' });
    });
  });
  if (problems.length > 0) throw new ArchiveError(problems.slice(0, MAX_PROBLEMS));
  return archive;
}

/** Every document of an archive, decoded and checked to be a complete Yjs state of a schema we read. */
export function decodeDocuments(archive: WorkspaceArchive): {
  workspace: Uint8Array;
  boards: {
    board: Uint8Array;
    internal: Uint8Array;
    versions: { board: Uint8Array; internal: Uint8Array }[];
    proposals: { shared: Uint8Array; internal: Uint8Array; versions: { board: Uint8Array; internal: Uint8Array }[] }[];
  }[];
} {
  const problems: { path: string; key: MessageKey }[] = [];
  const check = (base64: string, path: string, kind: DocumentKindOfArchive): Uint8Array => {
    const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
    if (!isReadableState(bytes, kind)) problems.push({ path, key: 'versions.archive.invalidDocument' });
    return bytes;
  };
  const workspace = check(archive.workspace, 'workspace', 'workspace');
  const boards = archive.boards.map((board, b) => ({
    board: check(board.board, `boards.${b}.board`, 'board'),
    internal: check(board.internal, `boards.${b}.internal`, 'internal'),
    versions: board.versions.map((version, v) => ({
      board: check(version.board, `boards.${b}.versions.${v}.board`, 'board'),
      internal: check(version.internal, `boards.${b}.versions.${v}.internal`, 'internal'),
    })),
    proposals: board.proposals.map((proposal, p) => ({
      shared: check(proposal.shared, `boards.${b}.proposals.${p}.shared`, 'proposal'),
      internal: check(proposal.internal, `boards.${b}.proposals.${p}.internal`, 'proposal'),
      versions: proposal.versions.map((version, v) => ({
        board: check(version.board, `boards.${b}.proposals.${p}.versions.${v}.board`, 'proposal'),
        internal: check(version.internal, `boards.${b}.proposals.${p}.versions.${v}.internal`, 'proposal'),
      })),
    })),
  }));
  if (problems.length > 0) throw new ArchiveError(problems.slice(0, MAX_PROBLEMS));
  return { workspace, boards };
}

/** The kinds of document an archive holds. */
type DocumentKindOfArchive = 'board' | 'internal' | 'workspace' | 'proposal';

/** True when `bytes` is a complete Yjs update (nothing missing) of a schema version this code reads. */
function isReadableState(bytes: Uint8Array, kind: DocumentKindOfArchive): boolean {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, bytes);
    // Structs or deletions waiting for others: a truncated or partial state.
    if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) return false;
    if (kind === 'board') return new BoardDoc(doc).schemaVersion <= BOARD_SCHEMA_VERSION;
    if (kind === 'internal') return new InternalDoc(doc).schemaVersion <= INTERNAL_SCHEMA_VERSION;
    if (kind === 'proposal') return new ProposalDoc(doc).schemaVersion <= PROPOSAL_SCHEMA_VERSION;
    return new WorkspaceDoc(doc).schemaVersion <= WORKSPACE_SCHEMA_VERSION;
  } catch {
    return false;
  } finally {
    doc.destroy();
  }
}

/** No workspace records and no settings: nothing an import would merge with. */
function isEmptyWorkspace(workspace: WorkspaceDoc): boolean {
  return (
    workspace.partners.map.size === 0 &&
    workspace.agreements.map.size === 0 &&
    workspace.mobilities.map.size === 0 &&
    workspace.targets.map.size === 0 &&
    workspace.settingsMap.size === 0
  );
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
