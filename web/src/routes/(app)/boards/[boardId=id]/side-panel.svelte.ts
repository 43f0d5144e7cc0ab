/**
 * The panel beside the board: the board's History, its Versions or its planned meetings, one at a time, and never beside
 * a card's drawer (three panels side by side leave the columns no room). Opening one closes the
 * other and the card's drawer; a card opening takes the panel's place. Closing a panel (Escape, its
 * close button, its button again) gives the focus back to the button that opened it.
 */
import { tick } from 'svelte';

export type SidePanelName = 'history' | 'versions' | 'meetings';

/** The button in the board's bar that opens each panel (its `data-testid`). */
const OPENERS: Record<SidePanelName, string> = { history: 'board-history-open', versions: 'versions-open', meetings: 'planned-meetings-open' };

export class SidePanel {
  /** The panel shown, if any. */
  current = $state<SidePanelName | null>(null);
  readonly #closeCard: () => void;

  /** `closeCard` closes the card's drawer, if one is open. */
  constructor(closeCard: () => void) {
    this.#closeCard = closeCard;
  }

  /** The panel's button: opens it in place of whatever is beside the board, or closes it. */
  toggle(name: SidePanelName): void {
    if (this.current === name) {
      void this.close();
      return;
    }
    this.#closeCard();
    this.current = name;
  }

  /** Closes the panel and puts the focus back on the button that opened it. */
  async close(): Promise<void> {
    const name = this.current;
    if (!name) return;
    this.current = null;
    await tick();
    document.querySelector<HTMLElement>(`[data-testid="${OPENERS[name]}"]`)?.focus();
  }

  /** A card's drawer opened: it takes the panel's place (the focus goes to the drawer). */
  giveWayToCard(): void {
    this.current = null;
  }
}
