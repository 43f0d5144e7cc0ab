/**
 * The workspace document (`/sync/workspace`: the school's reference data) on the server: every member
 * edits it, no guest opens it. Its proposal templates are the exception: administrators change them
 * through the templates API (`server/src/proposals/templates-router.ts`), so what a connection writes
 * to them is put back.
 */
import * as Y from 'yjs';
import { GUARD_ORIGIN, WORKSPACE_DOC, WorkspaceTemplates, migrateWorkspace, schemaVersionOf, workspaceDocument } from '@passerelle/shared';
import type { ServerDocumentKind } from './kind.js';

/** Puts back what a person's transaction changed in the workspace's templates; returns how many keys. */
export function undoTemplateWrites(doc: Y.Doc, transaction: Y.Transaction): number {
  const templates = new WorkspaceTemplates(doc).map;
  const undo: (() => void)[] = [];
  for (const event of transaction.changedParentTypes.get(templates as unknown as Y.AbstractType<Y.YEvent<any>>) ?? []) {
    // Stored templates are plain values: a person could only nest a shared type by adding it, which is undone.
    if (event.target !== templates || !(event instanceof Y.YMapEvent)) continue;
    event.changes.keys.forEach((change, key) => {
      if (change.action === 'add' || change.oldValue instanceof Y.AbstractType) undo.push(() => templates.delete(key));
      else undo.push(() => templates.set(key, change.oldValue));
    });
  }
  if (undo.length > 0) doc.transact(() => undo.forEach((step) => step()), GUARD_ORIGIN);
  return undo.length;
}

export const workspaceKind: ServerDocumentKind = {
  name: 'workspace',
  parse: (name) => (name === WORKSPACE_DOC ? { kind: workspaceKind, name, boardId: null } : null),
  roleOf: async (principal) => (principal.kind === 'member' ? 'editor' : null),
  hooks: (target, { events }) => ({
    schema: { version: workspaceDocument.schemaVersion, versionOf: schemaVersionOf },
    onLoad(doc) {
      migrateWorkspace(doc);
      return false;
    },
    afterTransaction({ doc, transaction, actor, logger }) {
      const undone = undoTemplateWrites(doc, transaction);
      if (undone > 0) logger.warn({ userId: actor.userId, undone }, 'changes to the workspace’s templates made through a connection undone');
    },
    onChange: (doc, transaction, actor) => events.onWorkspaceChange?.({ doc, transaction, actor }),
    onWriteRefused: (userId) => events.onWriteRefused?.(userId, target.name, 'workspace'),
  }),
};
