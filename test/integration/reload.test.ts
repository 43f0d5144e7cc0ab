/**
 * A board loaded from its stored snapshot (after a restart) answers fresh clients with the whole
 * document encoded once, kept until the document changes: every fresh client must still get the
 * board as it is now, and a guest never a value the guard removed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { BoardDoc, type BoardSummary, type GuestInviteCreated } from '@passerelle/shared';
import type { PasserelleServer } from '../../server/src/app.js';
import { api, eventually, login, startTestServer, synced, tempDataDir } from '../helpers/test-server.js';

describe('fresh clients of a board loaded from its snapshot', () => {
  let data: ReturnType<typeof tempDataDir>;
  let server: PasserelleServer;
  let adminCookie: string;
  let boardId: string;
  const cleanups: (() => void)[] = [];

  beforeEach(async () => {
    data = tempDataDir();
    server = await startTestServer({ dataDir: data.dir });
    adminCookie = await login(server.url);
    boardId = (await api<BoardSummary>(server.url, '/api/boards', { method: 'POST', body: { title: 'Mobilités 2027' }, cookie: adminCookie, headers: { origin: server.url } })).body.id;
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    await server.close();
    data.remove();
  });

  /** A stock client signed in with a cookie, recording its frames; `cardsAtSync` is read when it reports synced. */
  function open(cookie: string): { doc: Y.Doc; board: BoardDoc; provider: WebsocketProvider; frames: Buffer[]; cardsAtSync: Promise<number> } {
    const frames: Buffer[] = [];
    const origin = server.url;
    class BrowserLikeSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie, origin } });
        this.on('message', (message: Buffer | ArrayBuffer) => frames.push(Buffer.from(message as ArrayBuffer)));
      }
    }
    const doc = new Y.Doc();
    const board = new BoardDoc(doc);
    const provider = new WebsocketProvider(`${server.url.replace('http', 'ws')}/sync`, boardId, doc, {
      WebSocketPolyfill: BrowserLikeSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    const cardsAtSync = new Promise<number>((resolve) => provider.on('sync', (isSynced: boolean) => isSynced && resolve(board.cards.size)));
    cleanups.push(() => {
      provider.destroy();
      doc.destroy();
    });
    return { doc, board, provider, frames, cardsAtSync };
  }

  /** Writes `count` cards, closes every connection and restarts the server on the same data. */
  async function storedBoardOf(count: number): Promise<string> {
    const writer = open(adminCookie);
    await synced(writer.provider);
    const column = writer.board.addColumn('Propositions');
    writer.doc.transact(() => {
      for (let index = 0; index < count; index++) {
        if (index === 0) writer.board.addProposal(column, { title: 'Renforcement des capacités Cameroun', createdBy: 'w' });
        else writer.board.addCard(column, { title: `carte ${index}`, createdBy: 'w' });
      }
    });
    await eventually(async () => {
      const check = open(adminCookie);
      return (await check.cardsAtSync) === count;
    }, 5000, 'the board stored');
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    // A graceful restart compacts every board into a snapshot.
    await server.close();
    server = await startTestServer({ dataDir: data.dir });
    adminCookie = await login(server.url);
    return column;
  }

  it('each fresh client is synced with the board as it is at that moment, before and after a change', async () => {
    const column = await storedBoardOf(200);
    const first = open(adminCookie);
    expect(await first.cardsAtSync).toBe(200);
    first.board.addCard(column, { title: 'ajoutée après le redémarrage', createdBy: 'a' });
    await eventually(async () => {
      const probe = open(adminCookie);
      return (await probe.cardsAtSync) === 201;
    }, 5000, 'a fresh client sees the new card');
    // And one more fresh client, with nothing changed in between, gets the same board.
    const next = open(adminCookie);
    expect(await next.cardsAtSync).toBe(201);
    expect(next.board.listCards(column).map((card) => card.title)).toEqual(first.board.listCards(column).map((card) => card.title));
  });

  it('a guest arriving after an internal value was written and removed never receives it', async () => {
    await storedBoardOf(20);
    const stale = open(adminCookie);
    expect(await stale.cardsAtSync).toBe(20);
    const proposal = [...stale.board.cards.entries()].find(([, card]) => card.get('kind') === 'proposal')![0];
    stale.board.cards.get(proposal)!.set('budgetEstimate', 987654);
    await eventually(() => !stale.board.cards.get(proposal)!.has('budgetEstimate'), 5000, 'internal field removed');

    const invite = await api<GuestInviteCreated>(server.url, `/api/boards/${boardId}/guest-invites`, {
      method: 'POST',
      body: { role: 'viewer', label: 'Universidade do Porto', expiresInHours: 24 },
      cookie: adminCookie,
      headers: { origin: server.url },
    });
    const joined = await fetch(`${server.url}/api/guest-invites/${invite.body.url.split('/guest/')[1]}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ name: 'Ana Sousa', organisation: 'Universidade do Porto' }),
    });
    const guestCookie = joined.headers.getSetCookie().find((c) => c.startsWith('passerelle_session='))!.split(';')[0];
    const partner = open(guestCookie);
    expect(await partner.cardsAtSync).toBe(20);
    const encoder = encoding.createEncoder();
    encoding.writeAny(encoder, 987654);
    expect(Buffer.concat(partner.frames).includes(Buffer.from(encoding.toUint8Array(encoder)))).toBe(false);
  });
});
