/**
 * The lanes a person chose for one view of one board, remembered on this browser: a member finds
 * them again on every visit (localStorage), a partner guest for as long as their browser session
 * lasts (sessionStorage: a guest's access is temporary, and the browser may be a shared one).
 *
 * While the board view is in lanes, the browser also tells the server so on the board's own path
 * (`LANES_COOKIE`, kept as long as the choice): the board's first screen, drawn without lanes, is
 * then not drawn into the page, where the board would then jump into its lanes.
 */
import { LANES_COOKIE, type Me } from '@passerelle/shared';
import { setBoardCookie } from '#lib/board-cookie.js';
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

  readonly #mark: ((field: LaneField) => void) | null;

  constructor(view: LaneView, me: Me, boardId: string) {
    this.#key = laneChoiceKey(view, me.id, boardId);
    this.#storage = storageFor(me);
    this.#field = readChoice(this.#storage, this.#key);
    this.#mark = view === 'board' ? (field) => markLanes(boardId, me, field) : null;
  }

  get field(): LaneField {
    return this.#field;
  }

  set field(field: LaneField) {
    this.#field = field;
    this.#mark?.(field);
    try {
      if (field === 'none') this.#storage?.removeItem(this.#key);
      else this.#storage?.setItem(this.#key, field);
    } catch {
      // Not remembered, still shown.
    }
  }
}

/**
 * The lanes `me` chose for the board view of `boardId` on this browser ('none' when none), the
 * server told of them again (a choice made before it was told of any stays one).
 */
export function boardLanesChosen(me: Me, boardId: string): LaneField {
  const field = readChoice(storageFor(me), laneChoiceKey('board', me.id, boardId));
  if (field !== 'none') markLanes(boardId, me, field);
  return field;
}

function readChoice(storage: Storage | null, key: string): LaneField {
  try {
    return parseLaneField(storage?.getItem(key));
  } catch {
    // Storage refused (private browsing, quota): the view starts without lanes.
    return 'none';
  }
}

/** Sets or clears `LANES_COOKIE` on the board's path: a guest's for the browser session only, as their choice. */
function markLanes(boardId: string, me: Me, field: LaneField): void {
  setBoardCookie(boardId, LANES_COOKIE, field === 'none' ? null : me.id, { session: Boolean(me.guest) });
}

function storageFor(me: Me): Storage | null {
  try {
    if (me.guest) return typeof sessionStorage === 'undefined' ? null : sessionStorage;
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
