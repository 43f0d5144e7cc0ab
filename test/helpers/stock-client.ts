/**
 * The stock y-websocket client as the tests and the benchmarks use it, in Node (where `ws` stands in
 * for the browser's WebSocket), and waiting on it. Imports nothing of the server, so that a
 * benchmark's client processes can load it.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';

/** A stock y-websocket client of `room` at `syncUrl` (the sync endpoint, room name appended). */
export function stockClient(
  syncUrl: string,
  room: string,
  options: { doc?: Y.Doc; params?: Record<string, string>; socket?: new (url: string, protocols?: string | string[]) => WebSocket } = {},
): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(syncUrl, room, doc, {
    WebSocketPolyfill: (options.socket ?? WebSocket) as unknown as typeof globalThis.WebSocket,
    ...(options.params ? { params: options.params } : {}),
    disableBc: true,
  });
  return { doc, provider };
}

/** The sync endpoint of a server at `baseUrl` (http → ws). */
export const syncUrlOf = (baseUrl: string): string => `${baseUrl.replace(/^http/, 'ws')}/sync`;

/** Resolves once the provider has completed its first sync with the server. */
export function synced(provider: WebsocketProvider, timeoutMs = 10_000): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sync timed out')), timeoutMs);
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      clearTimeout(timer);
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
}

/** Polls `check` every `intervalMs` until it returns true, or fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition', intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}
