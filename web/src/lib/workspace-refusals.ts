/**
 * Tells the person, in their language, which change of theirs to the workspace the server did not
 * keep and why. What the record rules put back reaches every screen as the server's correction; a
 * read-only person's change was taken nowhere, so their copy of the workspace is read again.
 */
import type { WorkspaceRefusal, WorkspaceRecordKind } from '@passerelle/shared';
import { t } from './i18n.svelte.js';
import { toasts } from './toasts.svelte.js';
import { workspace } from './workspace.svelte.js';
import { subscribeToWorkspaceRefusals } from './workspace-events.js';

/** Partners and agreements are the agreements managers'; mobility figures their department's. */
const RULE_OF: Record<WorkspaceRecordKind, 'agreements' | 'figures'> = { partner: 'agreements', agreement: 'agreements', mobility: 'figures', target: 'figures' };

/** The notice of a refusal: one sentence per rule that refused something. */
export function refusalMessage(refusal: WorkspaceRefusal): string {
  if (refusal.reason === 'read_only') return t('workspaceRefusal.readOnly');
  const sentences: string[] = [];
  for (const rule of ['agreements', 'figures'] as const) {
    const records = refusal.records.filter((record) => RULE_OF[record.kind] === rule);
    if (records.length === 0) continue;
    const names = records.map((record) => t(`workspaceRefusal.kind.${record.kind}`, { name: record.name || record.id })).join(', ');
    sentences.push(t(`workspaceRefusal.why.${rule}`, { records: names }));
  }
  if (refusal.settings) sentences.push(t('workspaceRefusal.settings'));
  return sentences.join(' ');
}

function onRefusal(refusal: WorkspaceRefusal): void {
  if (refusal.reason === 'read_only') workspace.reload();
  toasts.show({ kind: 'error', message: refusalMessage(refusal), testId: 'workspace-refused-toast', durationMs: 12_000 });
}

/** Shows the server's refusals of this person's workspace changes while subscribed; returns the function that stops. */
export function showWorkspaceRefusals(): () => void {
  return subscribeToWorkspaceRefusals(onRefusal);
}
