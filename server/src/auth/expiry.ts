/**
 * The longest delay `setTimeout` accepts (about 24.8 days): a longer one overflows and fires at
 * once, so an expiry further away is reached in several timers.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `onExpired` once when `expiresAt` passes, however far away it is, and returns a function
 * that cancels it. An expiry already past fires on the next tick, so the caller finishes setting up
 * first; a missing or unreadable one arms nothing. Timers are unref'd: a wait never holds the process open.
 */
export function armExpiry(expiresAt: string | null, onExpired: () => void): () => void {
  const deadline = expiresAt ? Date.parse(expiresAt) : Number.NaN;
  if (!Number.isFinite(deadline)) return () => {};
  let timer: NodeJS.Timeout | null = null;
  const arm = () => {
    timer = setTimeout(
      () => {
        // Compared with the clock when it fires: a step short of the deadline waits again.
        if (Date.now() < deadline) {
          arm();
          return;
        }
        timer = null;
        onExpired();
      },
      Math.max(0, Math.min(deadline - Date.now(), MAX_TIMER_MS)),
    );
    timer.unref();
  };
  arm();
  return () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
