/** Short messages at the bottom of the screen: errors, and "deleted — undo" offers. */

export interface ToastAction {
  label: string;
  run: () => void;
}

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
  action?: ToastAction;
  /** `data-testid` of the toast, so tests and people find the one they expect. */
  testId: string;
}

/** How long a toast stays; an undo offer must outlive a moment of hesitation. */
const DEFAULT_DURATION_MS = 8_000;

class Toasts {
  items = $state<Toast[]>([]);
  #nextId = 1;
  #timers = new Map<number, ReturnType<typeof setTimeout>>();

  /** Shows a toast and returns its id. */
  show(toast: Omit<Toast, 'id' | 'testId'> & { testId?: string; durationMs?: number }): number {
    const id = this.#nextId++;
    const { durationMs = DEFAULT_DURATION_MS, testId = toast.kind === 'error' ? 'error-toast' : 'toast', ...rest } = toast;
    // The same error repeated (a flapping network) replaces the previous one instead of stacking.
    this.items = [...this.items.filter((item) => !(item.kind === rest.kind && item.message === rest.message)), { ...rest, id, testId }];
    this.#timers.set(id, setTimeout(() => this.dismiss(id), durationMs));
    return id;
  }

  dismiss(id: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    this.items = this.items.filter((item) => item.id !== id);
  }
}

/** The app's toasts. */
export const toasts = new Toasts();
