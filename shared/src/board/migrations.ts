/**
 * The migrations of the board document and of its internal document. A document is migrated on the
 * server when it is loaded, before anyone is served, by `migrateBoard` and `migrateInternal`
 * (`documents/board.ts`, `documents/internal.ts`), which follow the rules every kind follows
 * (`documents/migrations.ts`): versions go up by exactly one, one transaction tagged
 * `MIGRATION_ORIGIN`, idempotent steps.
 */
import * as Y from 'yjs';
import { MIGRATION_ORIGIN } from '../documents/origins.js';
import type { Migration } from '../documents/migrations.js';
import { InternalProposalFields } from '../domain/records.js';
import { INTERNAL_PROPOSAL_FIELDS, INTERNAL_SCHEMA_VERSION, type InternalDoc } from './internal.js';
import { BOARD_SCHEMA_VERSION, type BoardDoc } from './schema.js';

/** What a board migration may use besides the board document. */
export interface BoardMigrationContext {
  /** The board's internal document, migrated to the current internal version; null when not given. */
  internal: InternalDoc | null;
}

export interface BoardMigration extends Migration<BoardDoc, BoardMigrationContext> {
  /** True when the step writes to the internal document: `migrateBoard` then refuses to run without it. */
  needsInternal?: boolean;
}

/** A board migration that moves content into the internal document was run without it. */
export class InternalDocRequiredError extends Error {
  constructor(readonly version: number) {
    super(`Board migration to version ${version} moves internal content: pass the board's internal document as migrateBoard(doc, { internal }).`);
    this.name = 'InternalDocRequiredError';
  }
}

export const boardMigrations: readonly BoardMigration[] = [
  {
    version: 1,
    description: 'Record the schema version in the meta map.',
    up(board) {
      // Version 0 documents hold columns and cards already; they only lack the version marker.
      board.meta.set('schemaVersion', 1);
    },
  },
  {
    version: 2,
    description: 'Cards get a kind: every card written before proposals existed is a note.',
    up(board) {
      board.cards.forEach((card: unknown) => {
        if (card instanceof Y.Map && card.get('kind') === undefined) card.set('kind', 'note');
      });
    },
  },
  {
    version: 3,
    description: 'Internal proposal fields (the budget) move to the internal document, which partner guests never load.',
    needsInternal: true,
    up(board, { internal }) {
      if (!internal) throw new InternalDocRequiredError(3);
      const shape = InternalProposalFields.shape as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>;
      const moves: { cardId: string; card: Y.Map<unknown>; copy: Partial<InternalProposalFields>; remove: string[] }[] = [];
      board.cards.forEach((card: unknown, cardId) => {
        if (!(card instanceof Y.Map)) return;
        const move = { cardId, card, copy: {} as Record<string, unknown>, remove: [] as string[] };
        for (const field of INTERNAL_PROPOSAL_FIELDS) {
          if (!card.has(field)) continue;
          move.remove.push(field);
          const parsed = shape[field].safeParse(card.get(field));
          // A value the internal document already holds was copied by another process (or changed
          // since by someone): it is never overwritten. An invalid value read as "none" before, so
          // there is nothing to keep.
          if (parsed.success && parsed.data !== null && !internal.hasProposalField(cardId, field)) move.copy[field] = parsed.data;
        }
        if (move.remove.length > 0) moves.push(move);
      });
      // Copied first, so that whoever stores both documents in this order never loses a budget.
      internal.doc.transact(() => {
        for (const { cardId, copy } of moves) if (Object.keys(copy).length > 0) internal.updateProposal(cardId, copy);
      }, MIGRATION_ORIGIN);
      for (const { card, remove } of moves) for (const field of remove) card.delete(field);
    },
  },
];

/** Versioned migrations of the internal document (see `InternalDoc`). */
export type InternalMigration = Migration<InternalDoc>;

export const internalMigrations: readonly InternalMigration[] = [
  {
    version: 1,
    description: 'Record the schema version in the meta map (the first layout).',
    up(internal) {
      internal.meta.set('schemaVersion', 1);
    },
  },
];

/** A stored document written by a newer version of Passerelle than this one. */
export class BoardTooNewError extends Error {
  constructor(readonly version: number) {
    super(`This board was saved with schema version ${version}; this server understands up to ${BOARD_SCHEMA_VERSION}.`);
    this.name = 'BoardTooNewError';
  }
}

/** A stored internal document written by a newer version of Passerelle than this one. */
export class InternalDocTooNewError extends Error {
  constructor(readonly version: number) {
    super(`This board's internal document was saved with schema version ${version}; this server understands up to ${INTERNAL_SCHEMA_VERSION}.`);
    this.name = 'InternalDocTooNewError';
  }
}
