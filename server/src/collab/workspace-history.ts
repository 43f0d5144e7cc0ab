/**
 * The history and audit of the workspace's records (partners, agreements, mobility flows and
 * targets): every change someone made becomes a history entry naming the record and its fields,
 * coalesced per person and record like a board's (`HistoryCoalescer`), stored in the activity store
 * under `WORKSPACE_HISTORY`, and written to the audit log when it closes. What the record rules put
 * back never happened and is not history; the refusal itself is audited.
 */
import type { Logger } from 'pino';
import type { HistoryEntry } from '@passerelle/shared';
import type { WorkspaceChange } from '../documents/kind.js';
import type { RecordWrite, RefusedWrite } from '../documents/workspace-rules/record-guard.js';
import type { ActivityStore } from '../store/account-store.js';
import { HistoryCoalescer, type OpenEntry, type SubjectChange } from './board-history.js';

/** The key the workspace's history is kept under in the activity store (never a board id, which `isId` checks). */
export const WORKSPACE_HISTORY = 'workspace';

export interface WorkspaceChangeListenerOptions {
  activity: ActivityStore;
  logger: Logger;
  /** How long one person's consecutive changes to one record make a single entry (default 60 s, as a board's). */
  coalesceWindowMs?: number;
}

/** The sync server's `onWorkspaceChange`, with the history not yet written. */
export interface WorkspaceChangeListener {
  (change: WorkspaceChange): void;
  /** Audits the changes the record rules put back (the sync server's `onWorkspaceRefusal`). */
  refused(refusal: { actor: { id: string; name: string }; refused: RefusedWrite[] }): void;
  /** Entries still open or being written, newest first, with negative ids; of one record with `recordId`. */
  pendingHistory(recordId?: string): HistoryEntry[];
  /** Writes every open entry now. */
  flush(): Promise<void>;
  /** Writes every open entry and stops the timer (call before closing the account store). */
  close(): Promise<void>;
}

/** The field a record is named by in history, the first of these it has. */
const NAME_FIELDS = ['name', 'title', 'academicYear'];

/** What a write is called in history: its name, its title, or its academic year. */
export function subjectOf(write: Pick<RecordWrite, 'before' | 'after'>): string {
  const fields = write.after ?? write.before ?? {};
  for (const field of NAME_FIELDS) if (typeof fields[field] === 'string' && fields[field]) return fields[field] as string;
  return '';
}

/** A write as the coalescer takes it. */
function subjectChange(write: RecordWrite): SubjectChange {
  const action = write.before === null ? 'created' : write.after === null ? 'deleted' : 'updated';
  return { subjectKind: write.kind, subjectId: write.id, subject: subjectOf(write), action, fields: action === 'updated' ? write.fields : [] };
}

const AUDIT_TYPE = { created: 'record_created', updated: 'record_changed', deleted: 'record_deleted' } as const;

export function createWorkspaceChangeListener(options: WorkspaceChangeListenerOptions): WorkspaceChangeListener {
  const { activity, logger } = options;
  const windowMs = options.coalesceWindowMs ?? 60_000;
  const coalescer = new HistoryCoalescer({ windowMs });
  const writing = new Set<OpenEntry>();
  let writes: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const write = (entries: OpenEntry[]) => {
    if (entries.length === 0) return writes;
    for (const entry of entries) writing.add(entry);
    writes = writes.then(async () => {
      try {
        await activity.appendHistory(
          WORKSPACE_HISTORY,
          entries.map((open) => open.entry),
        );
        for (const { entry } of entries) {
          await activity.recordAudit({
            type: AUDIT_TYPE[entry.action],
            actorId: entry.actorId,
            actorName: entry.actorName,
            target: `${entry.subjectKind}:${entry.cardId}`,
            details: { kind: entry.subjectKind, subject: entry.subject, fields: entry.fields.join(','), coActors: entry.coActors.map((coActor) => coActor.name).join(', ') },
            ip: null,
          });
        }
      } catch (error) {
        logger.error({ err: error, entries: entries.length }, 'workspace history could not be stored');
      } finally {
        for (const entry of entries) writing.delete(entry);
      }
    });
    return writes;
  };

  const tick = () => {
    void write(coalescer.closeExpired(Date.now()));
    if (coalescer.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };

  const listener = ((change: WorkspaceChange) => {
    try {
      const changes = change.writes.map(subjectChange).filter((c) => c.action !== 'updated' || c.fields.length > 0);
      if (changes.length === 0) return;
      void write(coalescer.add(WORKSPACE_HISTORY, change.actor, changes, Date.now()));
      if (!timer && !closed) {
        timer = setInterval(tick, Math.min(1000, windowMs));
        timer.unref();
      }
    } catch (error) {
      logger.error({ err: error }, 'workspace change could not be recorded');
    }
  }) as WorkspaceChangeListener;

  listener.refused = ({ actor, refused }) => {
    const records = refused.map((r) => `${r.kind}:${r.id}`);
    activity
      .recordAudit({ type: 'record_change_refused', actorId: actor.id, actorName: actor.name, target: records[0] ?? 'settings', details: { records: records.join(',') }, ip: null })
      .catch((error: unknown) => logger.error({ err: error }, 'refused workspace change could not be audited'));
  };
  listener.pendingHistory = (recordId) =>
    [...writing, ...coalescer.openEntries(WORKSPACE_HISTORY)]
      .filter((open) => recordId === undefined || open.entry.cardId === recordId)
      .map((open) => ({ ...open.entry, fields: [...open.entry.fields], coActors: [...open.entry.coActors] }))
      .sort((a, b) => b.at.localeCompare(a.at))
      .map((entry, index) => ({ ...entry, id: -(index + 1) }));
  listener.flush = () => write(coalescer.closeExpired(Infinity));
  listener.close = async () => {
    closed = true;
    if (timer) clearInterval(timer);
    timer = null;
    await listener.flush();
  };
  return listener;
}
