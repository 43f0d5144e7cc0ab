/**
 * The items of one svelte-dnd-action zone (a column's cards, a pipeline cell's proposals). They
 * follow the document except while a pointer drag is in progress, when svelte-dnd-action owns them;
 * the document is only written when the drop is finalized. Keyboard moves are `KeyboardMove`'s
 * (keyboard-move.svelte.ts): what `fromDoc` returns already shows a card picked up where it goes.
 */
import { SHADOW_ITEM_MARKER_PROPERTY_NAME, TRIGGERS, type DndEvent } from 'svelte-dnd-action';

/** svelte-dnd-action needs items with an `id`; the shadow flag is its placeholder while dragging. */
export interface ZoneItem {
  id: string;
  [SHADOW_ITEM_MARKER_PROPERTY_NAME]?: boolean;
}

export const isShadow = (item: ZoneItem): boolean => item[SHADOW_ITEM_MARKER_PROPERTY_NAME] === true;

/**
 * One zone item per view object, made by `make` and reused while the view is the same object (an
 * unchanged card keeps its view), so that keyed updates of a zone stay small.
 */
export function zoneItemsOf<V extends object, T extends ZoneItem>(make: (view: V) => T): (view: V) => T {
  const items = new WeakMap<V, T>();
  return (view) => {
    let item = items.get(view);
    if (!item) items.set(view, (item = make(view)));
    return item;
  };
}

export interface DropZoneOptions<T extends ZoneItem> {
  /** The items as the document has them now. */
  fromDoc: () => T[];
  /** An item was dropped into this zone at `index` (of the zone's items after the drop). */
  onDrop: (id: string, index: number) => void;
  /** Show the document again after every drop, so that a refused move snaps back. */
  snapBack?: boolean;
}

/** Create during a component's initialisation: it follows `fromDoc` with an effect. */
export class DropZone<T extends ZoneItem> {
  items = $state.raw<T[]>([]);
  #dragging = $state(false);
  #options: DropZoneOptions<T>;

  constructor(options: DropZoneOptions<T>) {
    this.#options = options;
    $effect.pre(() => {
      const fromDoc = options.fromDoc();
      if (!this.#dragging) this.items = fromDoc;
    });
  }

  /** Whether a pointer drag owns the items (they do not follow the document until it ends). */
  get dragging(): boolean {
    return this.#dragging;
  }

  onconsider = (event: CustomEvent<DndEvent<T>>) => {
    // Drags here are the pointer's (the keyboard's are `KeyboardMove`'s, which the library never
    // sees); a drag the library stops without a finalize lets the zone follow the document again.
    this.#dragging = event.detail.info.trigger !== TRIGGERS.DRAG_STOPPED;
    this.items = event.detail.items;
  };

  onfinalize = (event: CustomEvent<DndEvent<T>>) => {
    this.items = event.detail.items;
    const id = event.detail.info.id;
    const index = this.items.findIndex((item) => item.id === id);
    // Both zones get a finalize when an item changes zone; only the receiving one has the item.
    if (index >= 0) this.#options.onDrop(id, index);
    this.#dragging = false;
    if (this.#options.snapBack) this.items = this.#options.fromDoc();
  };
}
