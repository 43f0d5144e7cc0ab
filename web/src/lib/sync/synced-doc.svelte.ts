/**
 * One shared document kept in sync with the server over the y-websocket protocol, at
 * `/sync/<name>`: the Y.Doc, its connection, and what a page shows about both (connecting, online
 * or offline, loaded, ended for good), plus this person's transactions and, where edits can be
 * undone, their undo history.
 *
 * Views follow a document one way: by reading `version` (the whole document) or `versionOf(part)`
 * (one shared type and everything in it) in a reactive context, typically a `$derived` that then
 * reads the document. Each is bumped after every transaction that changed what it covers, local
 * or remote, so the derived value is read again then, and only then.
 */
import { CloseCode, SYNC_PATH } from '@passerelle/shared';
import { untrack } from 'svelte';
import type { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { closeLocalCopy, deleteLocalCopy, openLocalCopy } from '../offline/local-copies.js';
import { PendingChanges } from './pending-changes.svelte.js';
import { shareWhileOffline } from './offline-tabs.js';
import { skipUpdatesFrom } from './quiet-origin.js';

/** The key, in a local copy's own store, that says the copy holds what the server sent at least once. */
const SERVER_STATE_KEY = 'hasServerState';

/** How long the connection waits for a local copy that does not open (storage that hangs). */
const LOCAL_COPY_WAIT_MS = 3_000;

/** What the connection indicator shows. */
export const ConnectionStatus = { Connecting: 'connecting', Online: 'online', Offline: 'offline' } as const;
export type ConnectionStatus = (typeof ConnectionStatus)[keyof typeof ConnectionStatus];

/** Why the server ended the connection for good (a close code in 4400-4499, which is not retried). */
export type SessionEnd = 'unauthorized' | 'forbidden' | 'gone' | 'refused';

export interface SyncedDocOptions {
  /**
   * Announce no one on this connection (its awareness state is cleared): a reader that others
   * must not see as a participant, or a document whose presence goes through another connection.
   */
  silent?: boolean;
}

/** Documents closed by their page while changes were waiting, by name: each stays connected until they are sent. */
const lingering = new Map<string, SyncedDoc>();

export class SyncedDoc {
  /** The document's name on the server (`/sync/<name>`). */
  readonly name: string;
  readonly doc = new Y.Doc();
  /**
   * Origin of every transaction this person makes in this document. An undo history tracks only
   * this origin, so undo never reverts someone else's work.
   */
  readonly localOrigin = Symbol('local-edit');

  status = $state<ConnectionStatus>(ConnectionStatus.Connecting);
  /** Whether the document is in sync with the server right now. */
  synced = $state(false);
  /** Whether the stored document has arrived at least once: before that, an empty one would lie. */
  loaded = $state(false);
  /** Set when the server ended the connection for good; it is not retried then. */
  ended = $state<SessionEnd | null>(null);
  /** Counts the updates the server refused as too large; a page says so each time. */
  tooLarge = $state(0);
  /** Bumped after every transaction that changed the document, local or remote. */
  version = $state(0);
  /** This person's changes the server has not received yet (kept across reloads with the local copy). */
  readonly pending: PendingChanges;

  readonly #provider: WebsocketProvider;
  /** This browser's copy of the document (a signed-in member's only), or null. */
  #copy: IndexeddbPersistence | null;
  #undoManager: Y.UndoManager | null = null;
  /** The parts followed with `versionOf`, each with its number, */
  readonly #parts = new Map<Y.AbstractType<any>, number>();
  /**
   * and the count of changes of each, by that number. One reactive record made with the
   * document: a part first followed inside a `$derived` is then tracked by it like any other.
   */
  readonly #partVersions: Record<number, number> = $state({});
  /** Closed by its page, kept open until its waiting changes are sent. */
  #lingering = false;
  #closed = false;
  /** Set by `discard`: the unsent changes are dropped, not sent before closing. */
  #discarded = false;
  #providerStatus: 'connecting' | 'connected' | 'disconnected' = 'connecting';
  #wasConnected = false;
  #browserOnline = typeof navigator === 'undefined' ? true : navigator.onLine;
  readonly #cleanups: (() => void)[] = [];

  constructor(name: string, options: SyncedDocOptions = {}) {
    this.name = name;
    // The same document closed with changes waiting: its local copy holds them, and this one sends them.
    lingering.get(name)?.destroy();
    this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.changed.size === 0) return;
      // `changedParentTypes` holds every type that changed and each of its ancestors: what
      // `observeDeep` on that type would report. (A transaction made inside an effect must not
      // make that effect depend on these counts.)
      untrack(() => {
        for (const [part, id] of this.#parts) {
          if (transaction.changedParentTypes.has(part)) this.#partVersions[id] = (this.#partVersions[id] ?? 0) + 1;
        }
        this.version++;
      });
    });

    // The local copy: what it holds is applied to the document; what the server sends and what
    // this person writes is added to it.
    this.#copy = openLocalCopy(name, this.doc);
    const protocol = location.protocol === 'https:' ? 'wss' : 'ws';
    // With a local copy, the connection opens once the copy is in the document: the first exchange
    // then carries only what the server and the copy do not share. Opened before, it would announce
    // an empty document, be sent the whole board, and send the whole copy back as a change.
    this.#provider = new WebsocketProvider(`${protocol}://${location.host}${SYNC_PATH}`, name, this.doc, {
      // This browser's other tabs get each change through the server (offline, see
      // shareWhileOffline), not over the provider's BroadcastChannel: on connecting, it would encode
      // the whole document and post it to every tab, each of which decodes it again (for a
      // 1,000-card board, about 25 ms here and 100 ms in each other tab, at every opening), and post
      // every keystroke once more.
      disableBc: true,
      connect: this.#copy === null,
    });
    if (options.silent) this.#provider.awareness.setLocalState(null);
    this.pending = new PendingChanges(this.doc, this.#provider, this.#copy);
    const copy = this.#copy;
    if (copy) {
      // This member's other tabs of the document, offline together, get each other's changes.
      const tabs = shareWhileOffline(this.doc, copy.name, () => this.#provider.wsconnected, [this.#provider, copy]);
      if (tabs) this.#cleanups.push(() => tabs.close());
      // The copy read into the document is encoded for none of them.
      const listeners = [copy._storeUpdate, this.#provider._updateHandler, this.pending.onUpdate];
      this.#cleanups.push(skipUpdatesFrom(this.doc, copy, tabs ? [...listeners, tabs.onUpdate] : listeners));
      let connected = false;
      const connect = () => {
        clearTimeout(fallback);
        if (connected || this.#closed) return;
        connected = true;
        this.#provider.connect();
      };
      // A browser whose storage does not answer still connects.
      const fallback = setTimeout(connect, LOCAL_COPY_WAIT_MS);
      void copy.whenSynced.then(connect, connect);
      void copy.whenSynced
        .then(() => copy.get(SERVER_STATE_KEY))
        .then((hasServerState: unknown) => {
          // A copy made from what the server sent can be shown before (or without) the connection.
          if (hasServerState === 1 && this.#copy === copy) this.loaded = true;
        })
        .catch(() => {});
    }

    this.#provider.on('status', ({ status }) => {
      this.#providerStatus = status;
      if (status === 'connected') this.#wasConnected = true;
      this.#updateStatus();
    });
    this.#provider.on('sync', (isSynced: boolean) => {
      this.synced = isSynced;
      if (isSynced) {
        this.loaded = true;
        if (this.#copy) void this.#copy.set(SERVER_STATE_KEY, 1).catch(() => {});
      }
    });
    this.#provider.on('connection-close', (event) => this.#onClose(event));

    const onOnline = () => {
      this.#browserOnline = true;
      this.#updateStatus();
    };
    const onOffline = () => {
      this.#browserOnline = false;
      this.#updateStatus();
    };
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    this.#cleanups.push(() => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    });
  }

  /** Who is here on this connection (presence), for documents that announce someone. */
  get awareness(): WebsocketProvider['awareness'] {
    return this.#provider.awareness;
  }

  /**
   * Like `version`, for one part of the document: bumped only after transactions that changed
   * `part` or anything inside it, so what is read from that part alone is not read again after
   * changes elsewhere.
   */
  versionOf(part: Y.AbstractType<any>): number {
    let id = this.#parts.get(part);
    if (id === undefined) {
      id = this.#parts.size;
      this.#parts.set(part, id);
    }
    return this.#partVersions[id] ?? 0;
  }

  /**
   * This person's undo history over `scope` (their own transactions only); made once, on first
   * call. More types can join it later with `addToScope`.
   */
  trackUndo(scope: Y.AbstractType<any>[]): Y.UndoManager {
    this.#undoManager ??= new Y.UndoManager(scope, { trackedOrigins: new Set([this.localOrigin]) });
    return this.#undoManager;
  }

  /**
   * Runs `edit` as one transaction of this person's (typing bursts merge into one undo step). Bound,
   * so that it can be handed over as it is, e.g. to a collaborative text field.
   */
  transact = (edit: () => void): void => {
    this.doc.transact(edit, this.localOrigin);
  };

  /** Like `transact`, but never merged into the previous undo step. */
  step(edit: () => void): void {
    this.#undoManager?.stopCapturing();
    this.transact(edit);
    this.#undoManager?.stopCapturing();
  }

  /**
   * Closes the connection and forgets the document. Changes of this person's that the server has
   * not received yet are not left behind with the page: the connection stays open, announcing no
   * one, until they are sent (or the same document is opened again, which sends them itself).
   */
  destroy(): void {
    if (this.pending.count > 0 && this.ended === null && !this.#lingering && !this.#discarded) {
      this.#lingering = true;
      this.#provider.awareness.setLocalState(null);
      this.#undoManager?.destroy();
      this.#undoManager = null;
      lingering.get(this.name)?.destroy();
      lingering.set(this.name, this);
      // Not from inside the provider's own message handler, which reports the last change sent.
      this.pending.whenSent(() => setTimeout(() => this.destroy()));
      return;
    }
    if (this.#closed) return;
    this.#closed = true;
    if (lingering.get(this.name) === this) lingering.delete(this.name);
    for (const cleanup of this.#cleanups) cleanup();
    this.pending.destroy();
    if (this.#copy) void closeLocalCopy(this.#copy);
    this.#copy = null;
    this.#undoManager?.destroy();
    this.#provider.destroy();
    this.doc.destroy();
  }

  /**
   * Closes the document and deletes its local copy, the changes not yet taken by the server
   * included: the server refused them (a person who may only read), so they must neither show again
   * at the next opening nor be sent once this person may write. Resolves once the copy is deleted.
   */
  async discard(): Promise<void> {
    this.#discarded = true;
    const copy = this.#copy;
    this.#copy = null;
    if (lingering.get(this.name) !== this) lingering.get(this.name)?.destroy();
    this.destroy();
    if (copy) await deleteLocalCopy(copy);
  }

  #updateStatus(): void {
    if (!this.#browserOnline) this.status = ConnectionStatus.Offline;
    else if (this.#providerStatus === 'connected') this.status = ConnectionStatus.Online;
    // Before the first connection we are still connecting; after it, any gap is being offline.
    else this.status = this.#wasConnected ? ConnectionStatus.Offline : ConnectionStatus.Connecting;
  }

  /**
   * The document is gone or no longer this person's to open: its local copy (and any change in it
   * that was not sent) is of no use to anyone and must not stay on this computer.
   */
  #dropLocalCopy(): void {
    if (!this.#copy) return;
    void deleteLocalCopy(this.#copy);
    this.#copy = null;
  }

  #onClose(event: CloseEvent | null): void {
    switch (event?.code) {
      case CloseCode.Unauthorized:
        this.ended = 'unauthorized';
        break;
      case CloseCode.Forbidden:
        this.ended = 'forbidden';
        this.#dropLocalCopy();
        break;
      case CloseCode.BoardNotFound:
        this.ended = 'gone';
        this.#dropLocalCopy();
        break;
      case CloseCode.MessageTooLarge:
        this.tooLarge++;
        break;
      case CloseCode.DocumentTooLarge:
        // The change was not kept; reloading brings back the document as stored.
        this.tooLarge++;
        this.ended = 'refused';
        break;
      default:
        // Any other 4400-4499 code is final too (y-websocket stops reconnecting).
        if (event && event.code >= 4400 && event.code < 4500) this.ended = 'refused';
    }
  }
}
