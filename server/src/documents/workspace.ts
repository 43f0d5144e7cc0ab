/**
 * The workspace document (`/sync/workspace`: the school's reference data) on the server: members open
 * it, no guest does. Each record is changed only by those the record rules allow
 * (`shared/src/workspace/permissions.ts`): a member who may change none reads it, and what a person
 * writes to a record they may not change is put back (`workspace-rules/record-guard.ts`). Its proposal
 * templates are changed only by administrators through the templates API
 * (`server/src/proposals/templates-router.ts`), so what a connection writes to them is put back.
 */
import * as Y from 'yjs';
import { GUARD_ORIGIN, WORKSPACE_DOC, WorkspaceTemplates, canChangeSomeWorkspaceRecord, migrateWorkspace, schemaVersionOf, workspaceDocument, type RecordEditor } from '@passerelle/shared';
import { recordEditorOf } from '../auth/auth-service.js';
import type { ConnectionIdentity } from '../sync/connection.js';
import type { ServerDocumentKind } from './kind.js';
import { enforceRecordRules, enforceSettingsRule, recordWritesOf, type RefusedWrite } from './workspace-rules/record-guard.js';

/** A connection's person as the record rules read them. */
function editorOf(actor: ConnectionIdentity): RecordEditor {
  return { kind: actor.kind, capabilities: actor.capabilities ?? [], departments: actor.departments };
}

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
  // A member who may change no record reads: the room refuses their writes before applying them.
  roleOf: async (principal) => (principal.kind !== 'member' ? null : canChangeSomeWorkspaceRecord(recordEditorOf(principal)) ? 'editor' : 'viewer'),
  hooks: (target, { events }) => {
    /** The records each person's transaction had put back, so that what never happened is not history. */
    const refusedIn = new WeakMap<Y.Transaction, RefusedWrite[]>();
    return {
      schema: { version: workspaceDocument.schemaVersion, versionOf: schemaVersionOf },
      onLoad(doc) {
        migrateWorkspace(doc);
        return false;
      },
      afterTransaction({ doc, transaction, actor, logger }) {
        const undone = undoTemplateWrites(doc, transaction);
        if (undone > 0) logger.warn({ userId: actor.userId, undone }, 'changes to the workspace’s templates made through a connection undone');
        const editor = editorOf(actor);
        const refused = enforceRecordRules(doc, transaction, editor);
        const settings = enforceSettingsRule(doc, transaction, editor);
        if (refused.length > 0 || settings > 0) {
          refusedIn.set(transaction, refused);
          logger.info({ userId: actor.userId, refused, settings }, 'workspace changes the person may not make put back');
          // The person hears of it through `onWorkspaceRefusal`, with what was put back and why.
          events.onWorkspaceRefusal?.({ actor: { id: actor.userId, name: actor.name }, refused, settings });
        }
      },
      onChange(doc, transaction, actor) {
        const refused = refusedIn.get(transaction) ?? [];
        const writes = recordWritesOf(doc, transaction).filter((write) => !refused.some((r) => r.kind === write.kind && r.id === write.id));
        if (writes.length > 0) events.onWorkspaceChange?.({ doc, transaction, actor, writes });
      },
      onWriteRefused: (userId) => events.onWriteRefused?.(userId, target.name, 'workspace'),
    };
  },
};
