/**
 * A long list that draws only the items in and near its scroll box (`@tanstack/virtual-core`), for
 * Svelte runes. The list's items stay in normal flow, between two spaces standing for the items not
 * drawn (`spaceAbove`, `spaceBelow`, drawn by the view as pseudo-elements, not as padding, which
 * would make the box itself grow), so a drag-and-drop zone sees its items as its only children and
 * the scroll bar shows the whole list. Items are measured once drawn; until then an estimate stands in.
 *
 * The list may scroll in its own box (a board column) or in an ancestor's that scrolls other content
 * with it (a lane's cell, a pipeline stage, below a toolbar and other lanes): then what is drawn
 * follows the ancestor's scroll, from where the list starts in it.
 *
 * An item is measured by a ResizeObserver, after the browser lays the page out, not when it is
 * drawn: reading its height then would lay the page out again for each item drawn (88 times for a
 * board's first screen). Until its first report, a drawn item counts for its last known height or
 * the estimate.
 */
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect, type VirtualItem } from '@tanstack/virtual-core';
import { untrack } from 'svelte';
import type { Attachment } from 'svelte/attachments';

export interface VirtualListOptions {
  /** How many items the list has now (read inside a reactive context: the list follows it). */
  count: () => number;
  /** A stable key per index, so that an item keeps its measured size when it moves. */
  keyOf: (index: number) => string;
  /** The height an item is expected to have before it is measured. */
  estimateSize: (index: number) => number;
  /** Space between items, and before the first and after the last, in pixels (as the CSS draws them). */
  gap?: number;
  paddingStart?: number;
  paddingEnd?: number;
  /** Items drawn beyond each edge of the box, so that a quick scroll or a keyboard step finds them there. */
  overscan?: number;
  /** The box the list scrolls in, found once attached: the list itself unless given (see `scrollingAncestor`). */
  scrollBox?: (list: HTMLElement) => HTMLElement | null;
}

/** The nearest ancestor of `element` that scrolls vertically (the page's scrolling element when none does). */
export function scrollingAncestor(element: HTMLElement): HTMLElement | null {
  for (let box = element.parentElement; box; box = box.parentElement) {
    const overflow = getComputedStyle(box).overflowY;
    if (overflow === 'auto' || overflow === 'scroll') return box;
  }
  return document.scrollingElement instanceof HTMLElement ? document.scrollingElement : null;
}

/**
 * An item's height as its ResizeObserver report gives it; called when the item is drawn (no
 * report), its last known height or the estimate, without reading the layout.
 */
function measuredSize(element: HTMLElement, entry: ResizeObserverEntry | undefined, virtualizer: Virtualizer<HTMLElement, HTMLElement>): number {
  const box = entry?.borderBoxSize?.[0];
  if (box) return Math.round(box.blockSize);
  // A report without box sizes (older engines): the layout was just made, reading it costs nothing.
  if (entry) return Math.round(element.getBoundingClientRect().height);
  const index = virtualizer.indexFromElement(element);
  return virtualizer.itemSizeCache.get(virtualizer.options.getItemKey(index)) ?? virtualizer.options.estimateSize(index);
}

/** Create during a component's initialisation; `attach` it to the scroll box. */
export class VirtualList {
  /** Bumped whenever the virtualizer says what is drawn has changed. */
  #version = $state(0);
  /** The scroll box, and the list's own element (the same unless the list scrolls in an ancestor). */
  #element: HTMLElement | null = null;
  #list: HTMLElement | null = null;
  /** An item asked for before the list was attached. */
  #pendingReveal: number | null = null;
  /** True while `items` is being derived (runes forbid writes there, and what it returns is current). */
  #deriving = false;
  readonly #virtualizer: Virtualizer<HTMLElement, HTMLElement>;
  readonly #options: VirtualListOptions;
  /** The virtualizer's scroll callback, to tell it of a scroll made here without waiting for the event. */
  #reportOffset: ((offset: number, isScrolling: boolean) => void) | null = null;

  constructor(options: VirtualListOptions) {
    this.#options = options;
    this.#virtualizer = new Virtualizer<HTMLElement, HTMLElement>({
      count: 0,
      getScrollElement: () => this.#element,
      estimateSize: options.estimateSize,
      getItemKey: options.keyOf,
      scrollToFn: elementScroll,
      // In an ancestor's box, where the list starts may have moved (content above it resized) by the time the box scrolls or resizes.
      observeElementRect: (instance, report) => observeElementRect(instance, (rect) => (this.#placeInBox(), report(rect))),
      observeElementOffset: (instance, report) => {
        this.#reportOffset = report;
        const stop = observeElementOffset(instance, (offset, isScrolling) => (this.#placeInBox(), report(offset, isScrolling)));
        return () => {
          this.#reportOffset = null;
          stop?.();
        };
      },
      // Before the box is measured: a screenful, so that the first drawing already shows the top.
      initialRect: { width: 0, height: typeof window === 'undefined' ? 800 : window.innerHeight },
      gap: options.gap ?? 0,
      paddingStart: options.paddingStart ?? 0,
      paddingEnd: options.paddingEnd ?? 0,
      overscan: options.overscan ?? 6,
      measureElement: measuredSize,
      // A change told while `items` is being derived is already in what it returns.
      onChange: () => {
        if (!this.#deriving) this.#version++;
      },
    });
  }

  /** The items to draw now, in order, with their place in the whole list. */
  readonly items: VirtualItem[] = $derived.by(() => {
    void this.#version;
    const count = this.#options.count();
    this.#deriving = true;
    try {
      this.#virtualizer.setOptions({ ...this.#virtualizer.options, count, getItemKey: this.#options.keyOf, estimateSize: this.#options.estimateSize });
      return this.#virtualizer.getVirtualItems();
    } finally {
      this.#deriving = false;
    }
  });

  /** Where the list starts in its scroll box's content (0 when it scrolls in its own box). */
  get #start(): number {
    return this.#virtualizer.options.scrollMargin;
  }

  /** The height of the items above those drawn, with the gaps after them (0 when the first is drawn). */
  readonly spaceAbove: number = $derived.by(() => {
    const first = this.items[0];
    return first ? Math.max(0, first.start - this.#start - (this.#options.paddingStart ?? 0)) : 0;
  });

  /** The height of the items below those drawn, with the gaps before them (0 when the last is drawn). */
  readonly spaceBelow: number = $derived.by(() => {
    const last = this.items.at(-1);
    void this.#version;
    return last ? Math.max(0, this.#virtualizer.getTotalSize() + this.#start - last.end - (this.#options.paddingEnd ?? 0)) : 0;
  });

  /**
   * `{@attach list.attach}` on the element holding the items (the scroll box unless `scrollBox` says
   * otherwise). Untracked: the virtualizer reads the list (sizes, keys) and tells of changes while it
   * binds, which must not make the attachment run again.
   *
   * The virtualizer binds to its box in the next frame, before it is painted: binding reads the box's
   * size and scroll height and writes its scroll position, each of which lays the page out. Done as
   * each list is attached, a board's first drawing laid the page out once per column, each time with
   * more of it drawn; in the frame, the page is laid out once for all of them. Until then the list
   * draws a screenful from the top (`initialRect`), which is what a new box shows.
   */
  attach: Attachment<HTMLElement> = (element) => {
    let unmount: (() => void) | null = null;
    const frame = requestAnimationFrame(() => untrack(() => (unmount = this.#bind(element))));
    return () => {
      cancelAnimationFrame(frame);
      unmount?.();
      this.#element = null;
      this.#list = null;
    };
  };

  /** Binds the virtualizer to the list's box; returns how to unbind it. */
  #bind(element: HTMLElement): () => void {
    this.#list = element;
    this.#element = this.#options.scrollBox?.(element) ?? element;
    // An item above the view measured taller than expected pushes the view's items down: in its own
    // box the list scrolls by as much to keep them in place (the virtualizer's default); a box shared
    // with other lists stays where the person put it, as each list's correction would move the others.
    this.#virtualizer.shouldAdjustScrollPositionOnItemSizeChange = this.#element === element ? undefined : () => false;
    this.#placeInBox();
    this.#virtualizer._willUpdate();
    const unmount = this.#virtualizer._didMount();
    const pending = this.#pendingReveal;
    this.#pendingReveal = null;
    if (pending !== null) this.reveal(pending);
    // What was drawn before the box was known is drawn again for it.
    this.#version++;
    return unmount;
  }

  /** Reads where the list starts in its scroll box's content, and redraws when that moved. */
  #placeInBox(): void {
    const box = this.#element;
    const list = this.#list;
    if (!box || !list) return;
    const start = box === list ? 0 : Math.round(list.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientTop + box.scrollTop);
    if (start !== this.#start) {
      this.#virtualizer.setOptions({ ...this.#virtualizer.options, scrollMargin: start });
      if (!this.#deriving) this.#version++;
    }
    // Where the list ends in the box, from which the virtualizer reads how much of the box lies below it.
    this.#virtualizer.getTotalSize();
  }

  /** `{@attach list.measure}` on each drawn item, which carries its index as `data-index` (untracked, as `attach`). */
  measure: Attachment<HTMLElement> = (element) => {
    untrack(() => this.#virtualizer.measureElement(element));
  };

  /**
   * Scrolls the box so that the item at `index` is drawn and in view, and draws it now rather than
   * on the next scroll event (a keyboard move focuses the card in the same frame).
   */
  reveal(index: number): void {
    const element = this.#element;
    if (index < 0) return;
    // Not attached yet (the list has just become long enough): done once it is.
    if (!element) {
      this.#pendingReveal = index;
      return;
    }
    this.#placeInBox();
    // The list as it is now (its count may have just changed, as when a card moves in).
    void this.items;
    if (element === this.#list) this.#virtualizer.scrollToIndex(index, { align: 'auto' });
    else this.#scrollSharedBoxTo(index);
    this.#reportOffset?.(element.scrollTop, false);
    this.#version++;
  }

  /**
   * In a box shared with other content, the least scroll that shows the item whole (the virtualizer's
   * own would put the list's last item at the box's end, where the list does not end).
   */
  #scrollSharedBoxTo(index: number): void {
    // Measured as `items` was derived, just before.
    const item = this.#virtualizer.measurementsCache[index];
    const box = this.#element;
    if (!item || !box) return;
    const offset = box.scrollTop;
    const size = box.clientHeight;
    const end = item.end + (index === this.#virtualizer.options.count - 1 ? (this.#options.paddingEnd ?? 0) : 0);
    if (end > offset + size) this.#virtualizer.scrollToOffset(Math.min(item.start, end - size));
    else if (item.start < offset) this.#virtualizer.scrollToOffset(item.start);
  }

  /** Whether the item at `index` is drawn now. */
  isDrawn(index: number): boolean {
    const items = this.items;
    return items.length > 0 && index >= items[0]!.index && index <= items.at(-1)!.index;
  }
}
