/**
 * A member's tabs of one document, offline together: each change made in one is posted to the
 * others over a BroadcastChannel named for the document's local copy (so for this member only), and
 * applied there. Online, tabs get each other's changes through the server and nothing is posted: a
 * change reaches the server once from the tab that made it, and opening a tab posts nothing (the
 * whole document posted at every opening is what y-websocket's own channel did).
 *
 * A tab opened while offline reads the others' changes from the local copy, which every tab writes.
 * A change that came from another tab counts, in this one too, as waiting for the server: each tab
 * sends what it holds when the connection is back, and the server keeps it once.
 */
import * as Y from 'yjs';
import type { UpdateListener } from './quiet-origin.js';

export interface OfflineTabs {
  /** The document's 'update' listener that posts this tab's changes. */
  readonly onUpdate: UpdateListener;
  /** The origin of the changes applied from other tabs. */
  readonly origin: object;
  close(): void;
}

/**
 * Shares `doc`'s changes with this browser's other tabs of it on `channelName` while `connected()`
 * is false; changes of `notHere` origins (the server's, the local copy's) are not shared.
 */
export function shareWhileOffline(doc: Y.Doc, channelName: string, connected: () => boolean, notHere: readonly unknown[]): OfflineTabs | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  const channel = new BroadcastChannel(channelName);
  const origin = { channel: channelName };
  const onUpdate: UpdateListener = (update, from) => {
    if (from === origin || notHere.includes(from) || connected()) return;
    channel.postMessage(update);
  };
  channel.onmessage = (event: MessageEvent<unknown>) => {
    if (event.data instanceof Uint8Array) Y.applyUpdate(doc, event.data, origin);
  };
  doc.on('update', onUpdate);
  return {
    onUpdate,
    origin,
    close() {
      doc.off('update', onUpdate);
      channel.close();
    },
  };
}
