/**
 * The board page's address names the open card: `/boards/<board>?card=<card>`. Opening a card adds a
 * history entry (Back closes the drawer), closing it goes back to that entry, and a pasted link opens
 * the card once the board is loaded. A card opened or closed another way (a meeting's presenter, a
 * card deleted by someone else) replaces the address, so that it always says what is shown.
 */
import { goto } from '$app/navigation';
import { page } from '$app/state';
import { untrack } from 'svelte';
import { t } from '#lib/i18n.svelte.js';
import { toasts } from '#lib/toasts.svelte.js';

const CARD_PARAM = 'card';

/** The address that opens `cardId` on `boardId`, to paste in an e-mail. */
export function cardLink(boardId: string, cardId: string): string {
  return new URL(`/boards/${boardId}?${CARD_PARAM}=${encodeURIComponent(cardId)}`, location.origin).href;
}

/** The card the page's address names, if any (read in a reactive context, it follows the address). */
export function linkedCardId(): string | null {
  return page.url.searchParams.get(CARD_PARAM);
}

/** What the link follows on the board: the open card and how to open another. */
export interface OpenCardState {
  readonly loaded: boolean;
  readonly openCardId: string | null;
  has(cardId: string): boolean;
  openCard(cardId: string | null): void;
}

export class CardLink {
  /** The card this page closed itself, until the address stops naming it (Back is asynchronous). */
  #closing: string | null = null;

  /** Create it while the board page's component initialises: its effects live as long as the page. */
  constructor(board: () => OpenCardState | null) {
    // The address → the drawer: a pasted link, Back and Forward.
    $effect(() => {
      const wanted = this.linked;
      const state = board();
      if (!state?.loaded) return;
      untrack(() => {
        if (wanted !== this.#closing) this.#closing = null;
        if (wanted === state.openCardId) return;
        if (wanted === null) state.openCard(null);
        else if (state.has(wanted)) state.openCard(wanted);
        else {
          toasts.show({ kind: 'error', message: t('links.card.notFound'), testId: 'card-link-missing', durationMs: 20_000 });
          void goto(this.#address(null), { replace: true, reset: false });
        }
      });
    });

    // The drawer → the address, when something other than this page opened or closed a card.
    let previous: string | null = null;
    $effect(() => {
      const state = board();
      const open = state?.loaded ? state.openCardId : null;
      if (open === previous) return;
      previous = open;
      untrack(() => {
        if (open === this.linked || (open === null && this.#closing !== null)) return;
        void goto(this.#address(open), { replace: true, reset: false, state: page.state });
      });
    });
  }

  /** The card the address names, if any. */
  get linked(): string | null {
    return linkedCardId();
  }

  /** Opens a card by its address: a new history entry from the board, the same entry from another card. */
  open(cardId: string): void {
    if (this.linked === cardId) return;
    const fromBoard = this.linked === null;
    void goto(this.#address(cardId), { replace: !fromBoard, reset: false, state: { openedCard: fromBoard || page.state.openedCard === true } });
  }

  /** Closes the drawer's address: back to the entry it was opened from, or (after a pasted link) the board's own. */
  close(): void {
    const cardId = this.linked;
    if (cardId === null) return;
    this.#closing = cardId;
    if (page.state.openedCard) history.back();
    else void goto(this.#address(null), { replace: true, reset: false });
  }

  #address(cardId: string | null): URL {
    const url = new URL(page.url.href);
    if (cardId) url.searchParams.set(CARD_PARAM, cardId);
    else url.searchParams.delete(CARD_PARAM);
    return url;
  }
}
