/** Helpers that watch what a piece of code does: the error it throws, the updates a document emits. */
import type * as Y from 'yjs';

/** The error `run` throws, or fails the test. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** Counts the updates of `docs` from now on. */
export function countUpdates(...docs: Y.Doc[]): () => number {
  let updates = 0;
  for (const doc of docs) doc.on('update', () => updates++);
  return () => updates;
}
