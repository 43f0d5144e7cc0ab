import WebSocket from 'ws';
import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import type { WorkflowRefusal } from '@passerelle/shared';
import { stockClient, syncUrlOf } from './stock-client.js';
import { connectClient, connectedSocket, eventually, rawSocket, synced } from './test-server.js';

/** Where a helper hands what must be undone after the test (a file's `cleanups.push`). */
export type Track = (cleanup: () => void) => void;

/** A stock y-websocket client of a board by API token, synced with the server; `track` receives its cleanup. */
export async function syncedClient(baseUrl: string, boardId: string, token: string, track: Track): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  const client = connectClient(baseUrl, boardId, token);
  track(() => client.provider.destroy());
  await synced(client.provider);
  return client;
}

/**
 * A stock y-websocket client authenticated by a session cookie from the server's origin, as a
 * browser's is, keeping a copy of every frame it receives; `track` receives its cleanup.
 */
export function cookieClient(baseUrl: string, name: string, cookie: string, track: Track): { doc: Y.Doc; provider: WebsocketProvider; frames: Buffer[] } {
  const frames: Buffer[] = [];
  class BrowserLikeSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie, origin: baseUrl } });
      // y-websocket reads frames as ArrayBuffers; keep a Buffer copy of each.
      this.on('message', (data: Buffer | ArrayBuffer) => frames.push(Buffer.from(data as ArrayBuffer)));
    }
  }
  const { doc, provider } = stockClient(syncUrlOf(baseUrl), name, { socket: BrowserLikeSocket });
  track(() => {
    provider.destroy();
    doc.destroy();
  });
  return { doc, provider, frames };
}

/** A socket.io connection by API token that collects the workflow refusals the server sends; `track` receives its cleanup. */
export async function workflowRefusals(baseUrl: string, token: string, track: Track): Promise<WorkflowRefusal[]> {
  const refusals: WorkflowRefusal[] = [];
  const socket = await connectedSocket(baseUrl, { token }, track);
  socket.on('workflow:refused', (refusal) => refusals.push(refusal));
  return refusals;
}

/**
 * A raw sync connection to the document `name` of the server at `baseUrl`, by API token or by a
 * session cookie from the server's origin; resolves once the server admitted it (its first sync
 * message arrived). `track` receives its cleanup.
 */
export async function admittedSync(baseUrl: string, name: string, credentials: { token: string } | { cookie: string }, track: Track): Promise<ReturnType<typeof rawSocket>> {
  const url = `${baseUrl.replace('http', 'ws')}/sync/${name}`;
  const client = 'token' in credentials ? rawSocket(`${url}?token=${encodeURIComponent(credentials.token)}`) : rawSocket(url, { cookie: credentials.cookie, origin: baseUrl });
  track(() => client.socket.close());
  await client.opened;
  await eventually(() => client.received.length > 0, 5000, `admitted to ${name}`);
  return client;
}
