/**
 * Picking a card up with the keyboard and moving it, in the board's columns or the pipeline's
 * stages. Space picks up the focused card; the arrow keys move it (Left and Right to the
 * neighbouring zone, Up and Down within its zone); Space or Enter drops it, which writes the move
 * once; Escape, Tab or focus leaving the card puts it back, writing nothing. Until the drop the
 * move is only shown (`shown`, `placeOf`), so other people see one move, not every step. Each step
 * is announced through `announcement`, which the view shows in a live region.
 *
 * svelte-dnd-action has a keyboard mode of its own (arrows only within a zone, Tab into the next
 * zone, and a drag left open when focus moves on); `onkeydown` is installed in the capture phase on
 * the zone so that the card's keys reach this class and never the library, which keeps the pointer.
 */
import { arrange, isMoveKey, nextPlace, type MovePlace } from './keyboard-move.js';

/** What is announced: a card picked up, moved one step, dropped, or put back. */
export type MoveEvent = 'pickedUp' | 'moved' | 'dropped' | 'cancelled';

export interface KeyboardMoveOptions<T extends { id: string }> {
  /** The zones from left to right (the board's columns, the pipeline's stages). */
  zones: () => readonly string[];
  /** A zone's items as the document has them. */
  itemsOf: (zone: string) => readonly T[];
  /** An item and its zone as the document has them, or null once it is gone. */
  find: (id: string) => { item: T; zone: string } | null;
  /** Whether the order within a zone is kept (columns), so that Up and Down move the card. */
  ordered: boolean;
  /** Writes the move. */
  drop: (id: string, place: MovePlace) => void;
  /** The sentence announcing a step, in the person's language. */
  describe: (event: MoveEvent, item: T, place: MovePlace, count: number) => string;
  /** Focuses the card's element once the view shows it where it now stands. */
  focus: (id: string) => void;
}

interface Picked<T> {
  item: T;
  origin: MovePlace;
  place: MovePlace;
}

/** Create during a component's initialisation; one per view. */
export class KeyboardMove<T extends { id: string }> {
  #picked = $state.raw<Picked<T> | null>(null);
  /** The last step, for a live region. */
  announcement = $state('');
  readonly #options: KeyboardMoveOptions<T>;

  constructor(options: KeyboardMoveOptions<T>) {
    this.#options = options;
  }

  /** The id of the card picked up, if any. */
  get pickedId(): string | null {
    return this.#picked?.item.id ?? null;
  }

  /** A zone's items as shown: the document's, with the picked-up card where it is being moved. */
  shown(zone: string): readonly T[] {
    return arrange(this.#options.itemsOf(zone), zone, this.#picked);
  }

  /** Where a card is being moved, or null when it is not picked up. */
  placeOf(id: string): MovePlace | null {
    return this.#picked?.item.id === id ? this.#picked.place : null;
  }

  /** `onkeydowncapture` on a zone: the keys of a focused card. */
  onkeydown = (event: KeyboardEvent): void => {
    const card = event.target instanceof HTMLElement && event.target.matches('[data-card-id]') ? event.target : null;
    const id = card?.dataset.cardId;
    if (!id || event.altKey || event.ctrlKey || event.metaKey) return;
    const picked = this.#picked;
    if (!picked) {
      if (event.key !== ' ') return;
      this.#claim(event);
      this.#pickUp(id);
      return;
    }
    if (picked.item.id !== id) {
      this.cancel();
      return;
    }
    if (isMoveKey(event.key)) {
      this.#claim(event);
      this.#step(picked, nextPlace(picked.place, event.key, this.#options.zones(), (zone) => this.#othersIn(zone, id), this.#options.ordered));
    } else if (event.key === ' ' || event.key === 'Enter') {
      this.#claim(event);
      this.drop();
    } else if (event.key === 'Escape' || event.key === 'Tab') {
      // Tab puts the card back and keeps the focus on it: the next Tab moves on from there.
      this.#claim(event);
      this.cancel();
    }
  };

  /** `onfocusout` on the view: focus gone elsewhere than the picked-up card puts it back. */
  onfocusout = (): void => {
    if (!this.#picked) return;
    // A step may re-create the card's element (another column): wait for the focus to settle on it.
    setTimeout(() => {
      const id = this.#picked?.item.id;
      const active = document.activeElement;
      if (id && !(active instanceof HTMLElement && active.dataset.cardId === id && active.matches('[data-card-id]'))) this.cancel({ refocus: false });
    });
  };

  /** Writes the move where the card now stands. */
  drop(): void {
    const picked = this.#picked;
    if (!picked) return;
    this.#picked = null;
    if (!this.#options.find(picked.item.id)) return;
    this.#options.drop(picked.item.id, picked.place);
    this.#announce('dropped', picked.item, picked.place);
    this.#options.focus(picked.item.id);
  }

  /** Puts the card back where it was picked up; nothing is written. */
  cancel({ refocus = true } = {}): void {
    const picked = this.#picked;
    if (!picked) return;
    this.#picked = null;
    const found = this.#options.find(picked.item.id);
    if (!found) return;
    this.#announce('cancelled', found.item, this.#placeInDoc(found));
    if (refocus) this.#options.focus(picked.item.id);
  }

  #pickUp(id: string): void {
    const found = this.#options.find(id);
    if (!found) return;
    const origin = this.#placeInDoc(found);
    this.#picked = { item: found.item, origin, place: origin };
    this.#announce('pickedUp', found.item, origin);
  }

  #step(picked: Picked<T>, place: MovePlace | null): void {
    if (!this.#options.find(picked.item.id)) {
      this.#picked = null;
      return;
    }
    if (!place) return;
    this.#picked = { ...picked, place };
    this.#announce('moved', picked.item, place);
    this.#options.focus(picked.item.id);
  }

  #placeInDoc(found: { item: T; zone: string }): MovePlace {
    return { zone: found.zone, index: Math.max(0, this.#options.itemsOf(found.zone).findIndex((item) => item.id === found.item.id)) };
  }

  #othersIn(zone: string, id: string): number {
    return this.#options.itemsOf(zone).filter((item) => item.id !== id).length;
  }

  #announce(event: MoveEvent, item: T, place: MovePlace): void {
    this.announcement = this.#options.describe(event, item, place, this.#othersIn(place.zone, item.id) + 1);
  }

  /** The key is this class's: neither the page nor svelte-dnd-action nor the browser act on it. */
  #claim(event: KeyboardEvent): void {
    event.preventDefault();
    event.stopPropagation();
  }
}
