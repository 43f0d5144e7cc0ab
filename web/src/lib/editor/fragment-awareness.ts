/**
 * One document's awareness as one section text's editor should hear it. A proposal page has an
 * editor per section and language, all on the same document and the same awareness; the caret
 * extension redraws its editor on every awareness change, and each redraw runs the Yjs binding over
 * its whole text. So each editor hears only the changes that concern its text: a co-author whose
 * caret is in it, arrives in it or leaves it; and carets that move are heard once a frame, however
 * many moved. Everything else (reading the states, setting this person's own caret) goes to the
 * awareness itself, except that a field set to the value it already has is not sent again: every
 * editor announces the same person when it is made, and each announcement would otherwise go to
 * every co-author.
 */
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';

type Change = { added: number[]; updated: number[]; removed: number[] };
type Listener = (change: Change, origin: unknown) => void;

/** Whether `type` is `fragment` or inside it. */
function isWithin(type: Y.AbstractType<unknown> | null, fragment: Y.XmlFragment): boolean {
  let current: Y.AbstractType<unknown> | null = type;
  while (current) {
    if (current === (fragment as unknown as Y.AbstractType<unknown>)) return true;
    current = (current._item?.parent as Y.AbstractType<unknown> | undefined) ?? null;
  }
  return false;
}

/** Whether a client's caret (the caret extension's `cursor` field) stands in `fragment`. */
function caretWithin(state: Record<string, unknown> | undefined, doc: Y.Doc, fragment: Y.XmlFragment): boolean {
  const cursor = state?.cursor as { anchor?: unknown } | null | undefined;
  if (!cursor || typeof cursor !== 'object' || !cursor.anchor) return false;
  try {
    const position = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(cursor.anchor), doc);
    return position !== null && isWithin(position.type, fragment);
  } catch {
    // A malformed caret from another client: not in this text.
    return false;
  }
}

/** An awareness that tells its 'change' listeners only of the co-authors whose caret is, was or comes into `fragment`. */
export function fragmentAwareness(awareness: Awareness, fragment: Y.XmlFragment): Awareness {
  const doc = fragment.doc ?? awareness.doc;
  /** The co-authors whose caret was in this text at the last change heard. */
  const present = new Set<number>();
  const wrapped = new Map<Listener, Listener>();

  /** Each change is judged once, however many listeners hear it. */
  const judged = new WeakMap<Change, boolean>();
  const concerns = (change: Change): boolean => {
    const known = judged.get(change);
    if (known !== undefined) return known;
    let relevant = false;
    for (const clientId of [...change.added, ...change.updated, ...change.removed]) {
      if (clientId === awareness.clientID) continue;
      const here = caretWithin(awareness.getStates().get(clientId), doc, fragment);
      if (here || present.has(clientId)) relevant = true;
      if (here) present.add(clientId);
      else present.delete(clientId);
    }
    judged.set(change, relevant);
    return relevant;
  };

  return new Proxy(awareness, {
    get(target, property, receiver) {
      if (property === 'on' || property === 'off') {
        return (event: string, listener: Listener) => {
          // 'update' (every state's heartbeat included) is heard as it is: its listeners only read.
          if (event !== 'change') return (target as unknown as Record<string, (e: string, l: Listener) => void>)[property as string]!.call(target, event, listener);
          if (property === 'on') {
            // Co-authors' carets moving (each keystroke moves one) are redrawn once a frame however
            // many moved; someone arriving or leaving is drawn at once.
            let queued: { change: Change; origin: unknown } | null = null;
            const flush = () => {
              const next = queued;
              queued = null;
              if (next && wrapped.has(listener)) listener(next.change, next.origin);
            };
            const filtered: Listener = (change, origin) => {
              if (!concerns(change)) return;
              if (change.added.length > 0 || change.removed.length > 0 || typeof requestAnimationFrame !== 'function') {
                queued = null;
                listener(change, origin);
                return;
              }
              if (!queued) requestAnimationFrame(flush);
              queued = { change, origin };
            };
            wrapped.set(listener, filtered);
            target.on(event, filtered);
          } else {
            const filtered = wrapped.get(listener);
            if (filtered) target.off(event, filtered);
            wrapped.delete(listener);
          }
        };
      }
      if (property === 'setLocalStateField') {
        return (field: string, value: unknown) => {
          const current = target.getLocalState()?.[field];
          if (current !== undefined && JSON.stringify(current) === JSON.stringify(value)) return;
          target.setLocalStateField(field, value);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
