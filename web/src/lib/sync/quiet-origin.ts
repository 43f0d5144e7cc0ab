/**
 * Yjs encodes every transaction's changes as an update whenever the document has an 'update'
 * listener, whether or not a listener uses it. A local copy read into the document at opening is
 * one transaction holding the whole board (about 400 KB for 1,000 cards), which none of the
 * document's 'update' listeners uses (the copy, the connection and the count of waiting changes
 * all skip the copy's origin): encoding it again costs about 40 ms and its garbage.
 *
 * For transactions of `origin`, `listeners` are taken off the document while it runs and put back
 * once it is over: at the next transaction of any other origin (so that one, even if it is made
 * by an observer of this one, is reported as always), or right after this one's end.
 */
import type * as Y from 'yjs';

export type UpdateListener = (update: Uint8Array, origin: unknown) => void;

/**
 * Starts skipping the encoding of `origin`'s transactions for `listeners`; returns how to stop,
 * for when the document is closed (a listener taken off then stays off: its owner is closing too).
 */
export function skipUpdatesFrom(doc: Y.Doc, origin: unknown, listeners: readonly UpdateListener[]): () => void {
  let off = false;
  const putBack = () => {
    if (!off) return;
    off = false;
    for (const listener of listeners) doc.on('update', listener);
  };
  const before = (transaction: Y.Transaction) => {
    if (transaction.origin !== origin) return putBack();
    if (off) return;
    off = true;
    for (const listener of listeners) doc.off('update', listener);
  };
  const after = (transaction: Y.Transaction) => {
    // The transaction's 'update' event would come right after this call: its listeners come back after it.
    if (transaction.origin === origin) queueMicrotask(putBack);
  };
  doc.on('beforeTransaction', before);
  doc.on('afterTransactionCleanup', after);
  return () => {
    doc.off('beforeTransaction', before);
    doc.off('afterTransactionCleanup', after);
    off = false;
  };
}
