/**
 * The editors of a long proposal are made in the order a person needs them: those on screen, or
 * about to come onto it, at once; the others one at a time while the browser has nothing else to
 * do. Opening a 40-page proposal thus makes the first screen editable without waiting for the
 * editors below it, and a co-author's keystroke is never held up behind all of them.
 */

/** How far beyond the viewport (above and below) an editor counts as about to be seen. */
const NEAR_VIEWPORT = '100% 0px';
/** How long an editor off screen may wait for an idle moment before it is made anyway (ms). */
const IDLE_TIMEOUT = 300;

const pending = new Map<Element, () => void>();
let observer: IntersectionObserver | null = null;
let idleScheduled = false;

function seen(entries: IntersectionObserverEntry[]): void {
  for (const entry of entries) if (entry.isIntersecting) pending.get(entry.target)?.();
}

function whenIdle(callback: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(callback, { timeout: IDLE_TIMEOUT });
  else setTimeout(callback, 16);
}

/** Makes the next waiting editor (in page order), then waits for the next idle moment. */
function makeNext(): void {
  idleScheduled = false;
  const next = pending.values().next();
  if (next.done) return;
  next.value();
  scheduleIdle();
}

function scheduleIdle(): void {
  if (idleScheduled || pending.size === 0) return;
  idleScheduled = true;
  whenIdle(makeNext);
}

/**
 * Calls `make` once: as soon as `element` is on screen or near it, or else in an idle moment after
 * the editors before it. Resolves to a function that cancels it (when the element goes first).
 */
export function scheduleMount(element: Element, make: () => void): () => void {
  if (typeof IntersectionObserver === 'undefined') {
    make();
    return () => {};
  }
  const forget = () => {
    pending.delete(element);
    observer?.unobserve(element);
  };
  pending.set(element, () => {
    forget();
    make();
  });
  observer ??= new IntersectionObserver(seen, { rootMargin: NEAR_VIEWPORT });
  observer.observe(element);
  scheduleIdle();
  return forget;
}
