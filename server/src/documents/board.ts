/**
 * The shareable board document (`/sync/<boardId>`) on the server: members and the board's guests
 * open it with their role; every change a person sends goes through the board's rules (shape,
 * shareable fields, planned meetings, workflow gates); a guest never receives a value those rules removed.
 */
import { RuledEdit, boardDocument, internalDocName, migrateBoard, readFirstScreen, schemaVersionOf, type Department } from '@passerelle/shared';
import { guardPlannedMeetings } from './board-rules/planned-meetings-guard.js';
import { removeMalformedEntries } from './board-rules/shape-guard.js';
import { stripInternalFields } from './board-rules/shareable-guard.js';
import { enforceWorkflow } from './board-rules/workflow-guard.js';
import { boardExists, boardIdIn, type ServerDocumentKind } from './kind.js';

export const boardKind: ServerDocumentKind = {
  name: 'board',
  parse(name) {
    const boardId = boardIdIn(name, undefined);
    return boardId === null ? null : { kind: boardKind, name, boardId };
  },
  nameFor: (boardId) => boardId,
  async roleOf(principal, target, context) {
    const exists = await boardExists(principal, target.boardId!, context);
    return exists === true ? context.access.roleOf(principal, target.boardId!) : exists;
  },
  hooks(target, { events, withDocument }) {
    const boardId = target.boardId!;
    return {
      schema: { version: boardDocument.schemaVersion, versionOf: schemaVersionOf },
      async onLoad(doc) {
        const version = schemaVersionOf(doc);
        if (version >= boardDocument.schemaVersion) {
          migrateBoard(doc);
          return false;
        }
        // Older boards hold content that now belongs to the internal document: load it first, so
        // the migration can move that content there before anyone is served the board.
        await withDocument(internalDocName(boardId), (internal) => migrateBoard(doc, { internal }));
        // A board that had content (version 1 or more) may have had budgets, now moved out.
        return version > 0;
      },
      afterTransaction({ doc, transaction, actor, logger }) {
        // First: the rules below read the cards as maps.
        if (removeMalformedEntries(doc, transaction) > 0) logger.warn({ userId: actor.userId }, 'cards or columns that are not maps removed');
        let redacted = false;
        if (stripInternalFields(doc, transaction) > 0) {
          logger.warn({ userId: actor.userId }, 'internal fields written to the shareable board removed');
          redacted = true;
        }
        const putBack = guardPlannedMeetings(doc, transaction, actor);
        if (putBack > 0) logger.info({ userId: actor.userId, putBack }, 'changes to the planned meetings put back');
        // The departments come from the principal (`departmentsOf`): the room carries them unread.
        const departments = actor.departments as readonly Department[];
        const refusals = enforceWorkflow(doc, transaction, { userId: actor.userId, name: actor.name, departments }, boardId);
        if (refusals.length > 0) {
          logger.info({ userId: actor.userId, refusals }, 'workflow change undone');
          events.onRefusals?.(actor.userId, refusals);
          // A change made through the REST API answers with what was undone.
          if (transaction.origin instanceof RuledEdit) transaction.origin.refusals.push(...refusals);
        }
        return { redacted };
      },
      // Guests may only ever have what may be shared: what the rules removed reaches them as a tombstone.
      beforeRelay: (reader) => (reader.kind === 'guest' ? 'redacted' : 'updates'),
      onChange: (doc, transaction, actor) => events.onBoardChange?.({ boardId, document: 'board', doc, transaction, actor }),
      onWriteRefused: (userId) => events.onWriteRefused?.(userId, boardId, 'board'),
      // The first screen a page shows before the board has synced (`GET /api/boards/:boardId/first-screen`).
      summarize: (doc) => JSON.stringify(readFirstScreen(doc)),
    };
  },
};
