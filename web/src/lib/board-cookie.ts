/**
 * A cookie the app sets on one board's own path (`/boards/<id>`), so that only that board's page
 * request carries it: how this browser shows the board, for the server to draw its page alike.
 */

/**
 * Sets `name` to `value` on the board's path, for a year or, with `session`, until the browser
 * session ends; clears it when `value` is null.
 */
export function setBoardCookie(boardId: string, name: string, value: string | null, options: { session?: boolean } = {}): void {
  if (typeof document === 'undefined') return;
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  const path = `/boards/${encodeURIComponent(boardId)}`;
  const kept = value === null ? '; Max-Age=0' : options.session ? '' : '; Max-Age=31536000';
  document.cookie = `${name}=${value === null ? '' : encodeURIComponent(value)}; Path=${path}${kept}; SameSite=Lax${secure}`;
}

/**
 * The value of `name` as this page sees it: a board's own cookie when the page is that board's
 * (the document's address is the board's path), null when it is not set.
 */
export function readBoardCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const cookie of document.cookie.split('; ')) {
    const at = cookie.indexOf('=');
    if (at > 0 && cookie.slice(0, at) === name) {
      try {
        return decodeURIComponent(cookie.slice(at + 1));
      } catch {
        return null;
      }
    }
  }
  return null;
}
