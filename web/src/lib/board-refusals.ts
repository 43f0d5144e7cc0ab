/**
 * Tells the person, in their language, that the server did not keep a change of theirs to one of a
 * board's documents because they may only read it (a viewer, a commenter writing outside their
 * suggestions, a role taken back while their page still offered editing). The server took nothing
 * of it: the page that holds the document drops its copy, the one kept in the browser included, and
 * opens it again from the server (`SyncedDoc.discard`), so the change neither stays on screen nor
 * comes back at the next opening.
 */
import type { SyncRefusal } from '@passerelle/shared';
import { t } from './i18n.svelte.js';
import { toasts } from './toasts.svelte.js';
import { subscribeToSyncRefusals } from './workspace-events.js';

/** A board's documents, by the name the server gives their kind in a refusal. */
export type BoardDocumentKind = 'board' | 'internal' | 'proposal' | 'proposal_internal';

/** The notice of a refusal, naming what was refused: the board, its internal notes, or a proposal's text (shared or internal). */
export function boardRefusalMessage(document: BoardDocumentKind): string {
  if (document === 'internal') return t('boardRefusal.readOnly.internal');
  if (document === 'proposal' || document === 'proposal_internal') return t('boardRefusal.readOnly.proposal');
  return t('boardRefusal.readOnly.board');
}

/**
 * While subscribed, tells the person of each refusal of their changes to one of `boardId`'s
 * documents of the kinds `open` (those the page holds) and hands its kind to `reopen`, which drops
 * that document's copy and opens it again from the server. Returns the function that stops.
 */
export function followBoardRefusals<K extends BoardDocumentKind>(boardId: string, open: readonly K[], reopen: (document: K) => void): () => void {
  return subscribeToSyncRefusals((refusal: SyncRefusal) => {
    if (refusal.boardId !== boardId || !(open as readonly string[]).includes(refusal.document)) return;
    const document = refusal.document as K;
    reopen(document);
    toasts.show({ kind: 'error', message: boardRefusalMessage(document), testId: 'board-refused-toast', durationMs: 12_000 });
  });
}
