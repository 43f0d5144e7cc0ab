/**
 * A board's first screen that the server drew into the page it sent (`hooks.server.ts`): painted
 * over the whole window before the app's scripts ran, it stays until the app draws the board's
 * page itself (its own first screen, the live board, or an error), and goes at once on any other
 * page. The first screen's data, sent beside it, is read once by the board's page instead of
 * asking the server again.
 */
import { FirstScreen } from '@passerelle/shared';

/** The drawn first screen's element. */
export const PRE_FIRST_SCREEN_ID = 'pre-first-screen';
/** The element holding its data (JSON). */
export const FIRST_SCREEN_DATA_ID = 'pre-first-screen-data';

/** Takes the drawn first screen away: the app's page now stands in its place. */
export function removePreFirstScreen(): void {
  if (typeof document === 'undefined') return;
  document.getElementById(PRE_FIRST_SCREEN_ID)?.remove();
}

/** The first screen the page was sent with, for this board, once (null when there is none or it is another board's). */
export function takeSentFirstScreen(boardId: string): FirstScreen | null {
  if (typeof document === 'undefined') return null;
  const element = document.getElementById(FIRST_SCREEN_DATA_ID);
  if (!element) return null;
  element.remove();
  try {
    const sent = JSON.parse(element.textContent ?? '') as { boardId?: unknown; screen?: unknown };
    if (sent.boardId !== boardId) return null;
    const parsed = FirstScreen.safeParse(sent.screen);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
