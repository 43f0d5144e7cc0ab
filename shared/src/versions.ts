/**
 * Version history of a board and the workspace archive: request bodies (zod, validated at the
 * server's edge) and response shapes of `/api/boards/:boardId/versions...`, `/api/export` and
 * `/api/import`. A version is a full Yjs state of the board document (and, separately, of its
 * internal document), so it can be viewed without the history that led to it.
 */
import { z } from 'zod';
import { BoardRole, WorkspaceAccess } from './access.js';
import { Locale } from './api.js';
import type { CardView, ColumnView, ProposalView } from './board/schema.js';
import type { InternalProposalView } from './board/internal.js';
import type { Stored } from './domain/collection.js';
import type { ActionItem, RoadmapItem } from './domain/records.js';
import { Department } from './domain/vocabulary.js';
import { isId } from './ids.js';

/** 'auto': taken by the server after changes, at most every few minutes; 'named': someone named it. */
export const VersionKind = z.enum(['auto', 'named']);
export type VersionKind = z.infer<typeof VersionKind>;

/** Someone, as a version names them (their name when the version was taken). */
export const VersionPerson = z.object({
  id: z.string(),
  name: z.string(),
});
export type VersionPerson = z.infer<typeof VersionPerson>;

/** A version's metadata (`GET /api/boards/:boardId/versions` → `{ versions: VersionSummary[] }`, newest first). */
export const VersionSummary = z.object({
  id: z.string(),
  boardId: z.string(),
  /** ISO 8601. */
  at: z.string(),
  kind: VersionKind,
  /** The name given to a named version; null for an automatic one. */
  name: z.string().nullable(),
  /** Who named it; null for an automatic version. */
  createdBy: VersionPerson.nullable(),
  /** Who changed the board since the previous automatic version (what this one captured). */
  editors: z.array(VersionPerson),
});
export type VersionSummary = z.infer<typeof VersionSummary>;

/** A version's name: what a person would call that state ("Before the committee of 12 March"). */
export const VersionName = z.string().trim().min(1).max(120);

/** `POST /api/boards/:boardId/versions {name}` → 201 `VersionSummary`: names the board's current state. */
export const CreateVersionRequest = z.object({ name: VersionName });
export type CreateVersionRequest = z.infer<typeof CreateVersionRequest>;

/** A column of a past version, with its cards (proposals with their fields, sections and comments). */
export interface VersionColumnView extends ColumnView {
  cards: (CardView | ProposalView)[];
}

/** `GET /api/boards/:boardId/versions/:versionId`: a read-only view of the board as it was. */
export interface VersionView {
  version: VersionSummary;
  title: string;
  columns: VersionColumnView[];
  roadmap: Stored<RoadmapItem>[];
  actions: Stored<ActionItem>[];
  /** The internal document as it was (members only: every caller of this route is one). */
  internal: { notes: string; proposals: InternalProposalView[] };
}

/** `POST /api/boards/:boardId/versions/:versionId/restore` → what was restored. */
export interface RestoreResult {
  restored: VersionSummary;
  /** The automatic version of the state just before the restore, so the restore itself can be undone. */
  before: VersionSummary | null;
}

// ---- Workspace archive ----------------------------------------------------------------------

/** The value of `format` in every archive, to recognise one. */
export const ARCHIVE_FORMAT = 'passerelle-workspace';
/** The archive layout this code writes and reads. */
export const ARCHIVE_VERSION = 1;
/** The media type `POST /api/import` accepts besides `application/json` (large archives bypass the JSON body limit). */
export const ARCHIVE_MEDIA_TYPE = 'application/vnd.passerelle.archive+json';

/**
 * Whether `text` is standard base64 with its padding: groups of four characters of the alphabet, of
 * which only the last two may be `=`. One pass over the characters: a regular expression with a
 * repeated group backtracks and, past a few MiB, overflows the stack (a big board's archive could
 * not be imported back).
 */
export function isBase64(text: string): boolean {
  if (text.length % 4 !== 0) return false;
  let padding = 0;
  if (text.endsWith('==')) padding = 2;
  else if (text.endsWith('=')) padding = 1;
  const end = text.length - padding;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const inAlphabet =
      (c >= 65 && c <= 90) || // A-Z
      (c >= 97 && c <= 122) || // a-z
      (c >= 48 && c <= 57) || // 0-9
      c === 43 || // +
      c === 47; // /
    if (!inAlphabet) return false;
  }
  return true;
}

/** A Yjs update (a document's full state) in standard base64. */
const Base64Update = z
  .string()
  .max(512 * 1024 * 1024)
  .refine(isBase64, 'archive.invalidBase64');
/** Ids of people, boards and versions: an id's shape, and never a reserved name such as `workspace` (`isId`). */
const ArchiveId = z.string().refine(isId, 'archive.invalidId');
const IsoTime = z.string().min(1).max(40);
const Person = z.object({ id: z.string().min(1).max(64), name: z.string().max(200) });

/**
 * A person of the workspace. The password hash is included so that an import restores accounts
 * people can sign in to; an archive is therefore as sensitive as the database itself.
 */
export const ArchivePerson = z.object({
  id: ArchiveId,
  email: z.string().trim().toLowerCase().pipe(z.email()),
  name: z.string().trim().min(1).max(200),
  passwordHash: z.string().min(1).max(1000),
  isAdmin: z.boolean(),
  /** Archives written before the capability existed: nobody manages agreements. */
  managesAgreements: z.boolean().default(false),
  locale: Locale.nullable(),
  departments: z.array(Department),
  createdAt: IsoTime,
  deactivatedAt: IsoTime.nullable(),
});
export type ArchivePerson = z.infer<typeof ArchivePerson>;

/** One version of a board, with both states. */
export const ArchiveVersion = z.object({
  id: ArchiveId,
  at: IsoTime,
  kind: VersionKind,
  name: VersionName.nullable(),
  createdBy: Person.nullable(),
  editors: z.array(Person),
  board: Base64Update,
  internal: Base64Update,
});
export type ArchiveVersion = z.infer<typeof ArchiveVersion>;

/**
 * One proposal card's documents: the shared one (sections co-written with partners) and the internal
 * one, with the proposal's versions (`board` holding the shared document's state, `internal` the
 * internal one's, as the version store keeps them).
 */
export const ArchiveProposal = z.object({
  cardId: ArchiveId,
  shared: Base64Update,
  internal: Base64Update,
  versions: z.array(ArchiveVersion),
});
export type ArchiveProposal = z.infer<typeof ArchiveProposal>;

/** One board: its summary, sharing settings, documents and versions, and its proposals'. Guest invites are not archived. */
export const ArchiveBoard = z.object({
  summary: z.object({ id: ArchiveId, title: z.string().trim().min(1).max(120), createdBy: ArchiveId, createdAt: IsoTime, updatedAt: IsoTime }),
  sharing: z.object({ workspaceAccess: WorkspaceAccess, members: z.array(z.object({ userId: ArchiveId, role: BoardRole })) }),
  board: Base64Update,
  internal: Base64Update,
  versions: z.array(ArchiveVersion),
  /** Absent from archives written before proposals were archived: such a board is restored without any. */
  proposals: z.array(ArchiveProposal).default([]),
});
export type ArchiveBoard = z.infer<typeof ArchiveBoard>;

/** `GET /api/export` → this document; `POST /api/import` takes it back. */
export const WorkspaceArchive = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.literal(ARCHIVE_VERSION),
  exportedAt: IsoTime,
  people: z.array(ArchivePerson),
  /** The workspace document (partners, agreements, mobility, settings). */
  workspace: Base64Update,
  boards: z.array(ArchiveBoard),
});
export type WorkspaceArchive = z.infer<typeof WorkspaceArchive>;

/** `POST /api/import` → 201 with what was restored. */
export interface ImportResult {
  boards: number;
  /** Accounts created; people whose email already had an account keep that account. */
  peopleCreated: number;
  peopleMatched: number;
  versions: number;
}
