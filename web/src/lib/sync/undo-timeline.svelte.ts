import type * as Y from 'yjs';

/**
 * Merges several undo histories in time order: every step is stamped with one shared sequence, so
 * "undo" reverts the most recent step of whichever history holds it.
 */
export class UndoTimeline {
  /** Whether some history holds a step to undo (or to redo), updated as they gain or lose one. */
  canUndo = $state(false);
  canRedo = $state(false);

  #sequence = 0;
  readonly #managers: Y.UndoManager[] = [];

  /** Adds a history to the timeline. */
  add(manager: Y.UndoManager): void {
    this.#managers.push(manager);
    const onChange = () => {
      this.canUndo = this.#managers.some((each) => each.canUndo());
      this.canRedo = this.#managers.some((each) => each.canRedo());
    };
    const stamp = ({ stackItem }: { stackItem: { meta: Map<string, unknown> } }) => {
      stackItem.meta.set('sequence', ++this.#sequence);
      onChange();
    };
    manager.on('stack-item-added', stamp);
    // A typing burst merged into the last step makes that step recent again.
    manager.on('stack-item-updated', stamp);
    manager.on('stack-item-popped', onChange);
    manager.on('stack-cleared', onChange);
  }

  /** Takes a history out of the timeline (its document was closed, and is opened again with a new one). */
  remove(manager: Y.UndoManager): void {
    const index = this.#managers.indexOf(manager);
    if (index >= 0) this.#managers.splice(index, 1);
    this.canUndo = this.#managers.some((each) => each.canUndo());
    this.canRedo = this.#managers.some((each) => each.canRedo());
  }

  undo(): void {
    this.#latest('undoStack')?.undo();
  }

  redo(): void {
    this.#latest('redoStack')?.redo();
  }

  #latest(stack: 'undoStack' | 'redoStack'): Y.UndoManager | undefined {
    let latest: Y.UndoManager | undefined;
    let latestSequence = -1;
    for (const manager of this.#managers) {
      const top = manager[stack].at(-1);
      const sequence = Number(top?.meta.get('sequence') ?? 0);
      if (top && sequence > latestSequence) {
        latest = manager;
        latestSequence = sequence;
      }
    }
    return latest;
  }
}
