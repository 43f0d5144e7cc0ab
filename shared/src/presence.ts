/**
 * What each client publishes in the Yjs awareness of a board: who they are and which card they have
 * open. Read with `parsePresence`, since awareness states come from other clients and are untrusted.
 */
export interface PresenceState {
  user: { id: string; name: string; color: string };
  /** The card whose detail this person has open, or null. */
  openCardId: string | null;
  /** Where this person's pointer is on the board, when it is over it. */
  cursor?: BoardCursor;
}

/** A pointer position in board-content pixels (scroll included), so it lands on the same card on every screen. */
export interface BoardCursor {
  x: number;
  y: number;
}

/** Largest cursor coordinate accepted from another client: anything beyond is not on a board. */
const MAX_CURSOR = 1_000_000;

function parseCursor(value: unknown): BoardCursor | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { x, y } = value as Record<string, unknown>;
  const valid = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= MAX_CURSOR;
  return valid(x) && valid(y) ? { x, y } : undefined;
}

/** The presence in an awareness state, or null when it is missing or malformed. */
export function parsePresence(state: unknown): PresenceState | null {
  if (!state || typeof state !== 'object') return null;
  const { user, openCardId } = state as Record<string, unknown>;
  if (!user || typeof user !== 'object') return null;
  const { id, name, color } = user as Record<string, unknown>;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof color !== 'string') return null;
  const presence: PresenceState = { user: { id, name, color }, openCardId: typeof openCardId === 'string' ? openCardId : null };
  const cursor = parseCursor((state as Record<string, unknown>).cursor);
  if (cursor) presence.cursor = cursor;
  return presence;
}

/** Ten hues far enough apart to tell people apart, each dark enough for white initials (at least 4.5:1, WCAG AA). */
const PALETTE = ['#1f77b4', '#c62828', '#2e7d32', '#7b4fb0', '#8c564b', '#b0237f', '#0e7490', '#6e6e12', '#b45309', '#393b79'];

/** A stable colour for a person, so that their avatar and cursor look the same on every screen. */
export function colorForUser(userId: string): string {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}
