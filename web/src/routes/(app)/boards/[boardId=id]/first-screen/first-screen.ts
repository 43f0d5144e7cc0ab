/**
 * A board's first screen as the server stored it (`GET /api/boards/:boardId/first-screen`): its
 * columns and the first cards of each, drawn while the whole board syncs. Asked for as the page
 * starts, beside the board's connection; the browser revalidates it (ETag), so an unchanged board
 * costs a 304.
 */
import { FirstScreen } from '@passerelle/shared';

/**
 * The board's first screen, or null when there is none to show: none stored yet (204), no access,
 * offline, or an answer this version does not read. Never throws: the page then waits for the sync.
 */
export async function fetchFirstScreen(boardId: string): Promise<FirstScreen | null> {
  try {
    const response = await fetch(`/api/boards/${encodeURIComponent(boardId)}/first-screen`, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    if (response.status !== 200) return null;
    const parsed = FirstScreen.safeParse(await response.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
