/**
 * The lanes a person chose for one view of one board, remembered on this browser: a member finds
 * them again on every visit (localStorage), a partner guest for as long as their browser session
 * lasts (sessionStorage: a guest's access is temporary, and the browser may be a shared one).
 */
import type { Me } from '@passerelle/shared';
import { parseLaneField, type LaneField } from './lanes.js';

/** The views that have lanes. */
export type LaneView = 'board' | 'pipeline';

/** The storage key of a person's lanes on one view of one board. */
export function laneChoiceKey(view: LaneView, personId: string, boardId: string): string {
  return `passerelle.lanes.${view}.${personId}.${boardId}`;
}

/** Create during a component's initialisation. */
export class LaneChoice {
  #field = $state<LaneField>('none');
  readonly #key: string;
  readonly #storage: Storage | null;

  constructor(view: LaneView, me: Me, boardId: string) {
    this.#key = laneChoiceKey(view, me.id, boardId);
    this.#storage = storageFor(me);
    try {
      this.#field = parseLaneField(this.#storage?.getItem(this.#key));
    } catch {
      // Storage refused (private browsing, quota): the view starts without lanes.
    }
  }

  get field(): LaneField {
    return this.#field;
  }

  set field(field: LaneField) {
    this.#field = field;
    try {
      if (field === 'none') this.#storage?.removeItem(this.#key);
      else this.#storage?.setItem(this.#key, field);
    } catch {
      // Not remembered, still shown.
    }
  }
}

function storageFor(me: Me): Storage | null {
  try {
    if (me.guest) return typeof sessionStorage === 'undefined' ? null : sessionStorage;
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
