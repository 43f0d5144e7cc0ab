/**
 * When automatic versions are taken, for boards and for the workspace alike: a document that changed
 * gets one `intervalMs` after its first change since the last one, so at most one per interval,
 * naming who changed it meanwhile. With several processes on one store, the store's claim
 * (`VersionStore.claimAutomatic`) lets one of them take it per interval; the others keep their
 * editors for the next.
 */
import type { Logger } from 'pino';
import type { VersionPerson } from '@passerelle/shared';
import { VersionLimitError, type VersionStore } from './version-store.js';

export interface AutoVersionsOptions {
  /** The store whose claim shares the interval between processes (its `claimAutomatic`, when it has one). */
  store: Pick<VersionStore, 'claimAutomatic'>;
  intervalMs: () => number;
  /** Takes the version of `key` naming `editors` (a board whose version is no longer wanted resolves without one). */
  take: (key: string, editors: VersionPerson[]) => Promise<unknown>;
  /** Keeps track of writes in flight, so that the owner's close waits for them. */
  track: <T>(work: Promise<T>) => Promise<T>;
  logger: Logger;
  /** What the log calls one of the keys (`boardId`, or the workspace). */
  what: string;
}

/** A key changed since its last automatic version: who changed it, and the timer that will take the next one. */
interface Pending {
  editors: Map<string, string>;
  timer: NodeJS.Timeout;
}

export class AutoVersions {
  readonly #options: AutoVersionsOptions;
  readonly #pending = new Map<string, Pending>();
  #closed = false;

  constructor(options: AutoVersionsOptions) {
    this.#options = options;
  }

  /** Marks `key` changed by `actor` and arms its automatic version if none is due yet. */
  changed(key: string, actor: VersionPerson): void {
    if (this.#closed) return;
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = { editors: new Map(), timer: this.#arm(key) };
      this.#pending.set(key, pending);
    }
    pending.editors.set(actor.id, actor.name);
  }

  /** True when `key` has changes no version holds yet. */
  has(key: string): boolean {
    return this.#pending.has(key);
  }

  /**
   * The timer of a key's next automatic version. Its closure holds the key only: capturing a change
   * would keep a room's document, and through its observers the room and its sockets, alive.
   */
  #arm(key: string, afterMs = this.#options.intervalMs()): NodeJS.Timeout {
    const timer = setTimeout(() => this.#takeDue(key), afterMs);
    timer.unref();
    return timer;
  }

  /** Takes a key's pending automatic version; `closing` takes it whatever other processes did (nothing pending is left behind). */
  #takeDue(key: string, closing = false): void {
    const pending = this.#pending.get(key);
    if (!pending) return;
    const take = async () => {
      // With several processes, one automatic version per key and interval between them: when
      // another process took one lately, this one's editors wait for the next, which will hold
      // their changes (taken after them).
      const othersClaim = closing ? 0 : ((await this.#options.store.claimAutomatic?.(key, this.#options.intervalMs())) ?? 0);
      if ((this.#closed && !closing) || this.#pending.get(key) !== pending) return;
      if (othersClaim > 0) {
        pending.timer = this.#arm(key, othersClaim);
        return;
      }
      this.#pending.delete(key);
      clearTimeout(pending.timer);
      await this.#options.take(key, editorsOf(pending.editors));
    };
    void this.#options.track(
      take().catch((error: unknown) => {
        const { logger, what } = this.#options;
        // Not an incident: the named versions fill the share; the next change tries again.
        if (error instanceof VersionLimitError) logger.warn({ [what]: key, limit: error.limit, max: error.max }, 'automatic version skipped: the versions are at their cap');
        else logger.error({ err: error, [what]: key }, 'automatic version could not be taken');
      }),
    );
  }

  /** Takes `key`'s pending changes out (a version is being taken now): who made them; the timer stops. */
  takeOut(key: string): Map<string, string> | undefined {
    const pending = this.#pending.get(key);
    if (pending) clearTimeout(pending.timer);
    this.#pending.delete(key);
    return pending?.editors;
  }

  /** Puts back changes taken out by `takeOut` whose version was refused: they wait for the next automatic version. */
  putBack(key: string, editors: Map<string, string> | undefined): void {
    if (!editors) return;
    const since = this.#pending.get(key);
    if (since) for (const [id, name] of editors) since.editors.set(id, name);
    else if (!this.#closed) this.#pending.set(key, { editors, timer: this.#arm(key) });
  }

  /** Forgets a key's pending version (its document is gone). */
  forget(key: string): void {
    this.takeOut(key);
  }

  /** Takes every pending version now and stops arming new ones; the owner awaits what is in flight. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const key of [...this.#pending.keys()]) this.#takeDue(key, true);
  }
}

/** Who changed a document, as a version names them. */
export function editorsOf(editors: Map<string, string> | undefined): VersionPerson[] {
  return [...(editors ?? [])].map(([id, name]) => ({ id, name }));
}
