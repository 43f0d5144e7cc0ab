/**
 * A board's internal document (`/sync/<boardId>/internal`: internal notes, budgets, the sign-off
 * discussion) on the server: members only, with their role on the board; never a guest.
 */
import { internalDocName, internalDocument, migrateInternal, schemaVersionOf } from '@passerelle/shared';
import { boardExists, boardIdIn, type ServerDocumentKind } from './kind.js';

export const internalKind: ServerDocumentKind = {
  name: 'internal',
  parse(name) {
    const boardId = boardIdIn(name, 'internal');
    return boardId === null ? null : { kind: internalKind, name, boardId };
  },
  nameFor: internalDocName,
  async roleOf(principal, target, context) {
    const exists = await boardExists(principal, target.boardId!, context);
    if (exists !== true) return exists;
    if (principal.kind !== 'member') return null;
    return context.access.roleOf(principal, target.boardId!);
  },
  hooks(target, { events }) {
    const boardId = target.boardId!;
    return {
      schema: { version: internalDocument.schemaVersion, versionOf: schemaVersionOf },
      onLoad(doc) {
        migrateInternal(doc);
        return false;
      },
      onChange: (doc, transaction, actor) => events.onBoardChange?.({ boardId, document: 'internal', doc, transaction, actor }),
      onWriteRefused: (userId) => events.onWriteRefused?.(userId, boardId, 'internal'),
    };
  },
};
