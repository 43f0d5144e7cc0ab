/** The "… — Undo" offer shown after this person created or deleted workspace records, and what undoing it says. */
import { t } from './i18n.svelte.js';
import type { UndoOutcome } from './record-undo.js';
import { toasts } from './toasts.svelte.js';

export function offerRecordUndo(message: string, undo: () => UndoOutcome): void {
  toasts.show({
    kind: 'info',
    message,
    testId: 'record-undo-offer',
    durationMs: 15_000,
    action: {
      label: t('recordUndo.undo'),
      run: () => {
        const undone = undo() === 'undone';
        toasts.show({
          kind: undone ? 'info' : 'error',
          message: t(undone ? 'recordUndo.undone' : 'recordUndo.refused'),
          testId: undone ? 'record-undone-toast' : 'record-undo-refused-toast',
        });
      },
    },
  });
}
