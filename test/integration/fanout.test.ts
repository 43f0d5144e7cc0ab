/**
 * Coalesced fan-out (issue 5): a room stores and relays the updates of one turn of the event loop
 * (or, on a busy board, of a few milliseconds) as one merged update sent to everyone, and awareness
 * changes as one awareness update. Proved with stock y-websocket clients that record every frame
 * they receive: fewer frames, the same documents, a sender never gets its own updates back, guests
 * never get a removed internal value, and nothing reaches anyone before it is stored.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { BoardDoc, parsePresence, type BoardSummary, type GuestInviteCreated } from '@passerelle/shared';
import type { PasserelleServer } from '../../server/src/app.js';
import { MemoryDocumentStore } from '../../server/src/store/memory-document-store.js';
import type { DocumentStore } from '../../server/src/store/document-store.js';
import { adminToken, api, createBoard, eventually, login, startTestServer, synced, tempDataDir } from '../helpers/test-server.js';
import { stockClient, syncUrlOf } from '../helpers/stock-client.js';

/** A stock y-websocket client whose socket keeps a copy of every frame it receives. */
interface RecordingClient {
  doc: Y.Doc;
  board: BoardDoc;
  provider: WebsocketProvider;
  frames: Buffer[];
  /** The document updates received (sync step 2 and update messages), in order. */
  updates(): Uint8Array[];
  /** How many awareness messages were received. */
  awarenessMessages(): number;
}

/** Sync message (0) of type update (2), or awareness message (1): what a frame is. */
function frameKind(frame: Buffer): 'update' | 'step2' | 'awareness' | 'other' {
  const decoder = decoding.createDecoder(new Uint8Array(frame));
  const type = decoding.readVarUint(decoder);
  if (type === 1) return 'awareness';
  if (type !== 0) return 'other';
  const syncType = decoding.readVarUint(decoder);
  return syncType === 2 ? 'update' : syncType === 1 ? 'step2' : 'other';
}

function updateOf(frame: Buffer): Uint8Array {
  const decoder = decoding.createDecoder(new Uint8Array(frame));
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}

/** A stored document's content as a fresh `Y.Doc` would hold it. */
async function storedDoc(store: DocumentStore, name: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const update of (await store.load(name)).updates) Y.applyUpdate(doc, update);
  return doc;
}

describe('coalesced fan-out', () => {
  let data: ReturnType<typeof tempDataDir>;
  let server: PasserelleServer;
  let token: string;
  /** Appends take this long before they resolve (0: the plain in-memory store). */
  let appendDelayMs: number;
  /** Every append in the order it resolved, with the time it did. */
  let appended: { update: Uint8Array; at: number }[];
  let documents: MemoryDocumentStore;
  const cleanups: (() => void)[] = [];

  beforeEach(async () => {
    data = tempDataDir();
    appendDelayMs = 0;
    appended = [];
    documents = new MemoryDocumentStore();
    const inner = documents;
    // The in-memory store, with appends that can be made slow and are recorded when they resolve.
    const recording: DocumentStore = {
      load: (name) => inner.load(name),
      append: async (name, update) => {
        if (appendDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, appendDelayMs));
        const seq = await inner.append(name, update);
        appended.push({ update, at: performance.now() });
        return seq;
      },
      compact: (name, snapshot, throughSeq, schemaVersion) => inner.compact(name, snapshot, throughSeq, schemaVersion),
      putSummary: (name, summary, throughSeq) => inner.putSummary(name, summary, throughSeq),
      loadSummary: (name) => inner.loadSummary(name),
      delete: (name) => inner.delete(name),
      list: () => inner.list(),
      close: () => inner.close(),
    };
    server = await startTestServer({ dataDir: data.dir, documents: recording });
    token = await adminToken(server.url);
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    await server.close();
    data.remove();
  });

  /** Connects a recording client with a token (`auth`) or a session cookie. */
  function open(boardId: string, auth: { token: string } | { cookie: string } = { token }): RecordingClient {
    const frames: Buffer[] = [];
    const origin = server.url;
    const headers = 'cookie' in auth ? { cookie: auth.cookie, origin } : {};
    class RecordingSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers });
        this.on('message', (message: Buffer | ArrayBuffer) => frames.push(Buffer.from(message as ArrayBuffer)));
      }
    }
    const { doc, provider } = stockClient(syncUrlOf(server.url), boardId, { socket: RecordingSocket, params: 'token' in auth ? { token: auth.token } : {} });
    cleanups.push(() => {
      provider.destroy();
      doc.destroy();
    });
    return {
      doc,
      board: new BoardDoc(doc),
      provider,
      frames,
      updates: () => frames.filter((frame) => frameKind(frame) === 'update').map(updateOf),
      awarenessMessages: () => frames.filter((frame) => frameKind(frame) === 'awareness').length,
    };
  }

  /** A board with one column, and clients synced to it. */
  async function boardWith(count: number): Promise<{ boardId: string; column: string; clients: RecordingClient[] }> {
    const boardId = await createBoard(server.url, token, 'Rafales');
    const clients = Array.from({ length: count }, () => open(boardId));
    await Promise.all(clients.map((client) => synced(client.provider)));
    const column = clients[0].board.addColumn('Partenaires');
    await eventually(() => clients.every((client) => client.board.listColumns().length === 1), 5000, 'column everywhere');
    return { boardId, column, clients };
  }

  const snapshot = (board: BoardDoc) => JSON.stringify({ columns: board.listColumns(), cards: [...board.cardsByColumn()] });

  it('many updates made in one turn reach another client as far fewer messages, and both documents converge', async () => {
    const { column, clients } = await boardWith(2);
    const [writer, reader] = clients;
    const before = reader.updates().length;
    // 100 transactions, so 100 update messages leave the writer in one turn of its event loop.
    for (let index = 0; index < 100; index++) writer.board.addCard(column, { title: `Mobilité ${index}`, createdBy: 'w' });
    await eventually(() => reader.board.listCards(column).length === 100, 10_000, 'every card on the reader');
    await eventually(() => snapshot(reader.board) === snapshot(writer.board), 5000, 'convergence');
    const received = reader.updates().length - before;
    expect(received).toBeGreaterThan(0);
    // Without coalescing it would be 100 messages, one per update.
    expect(received).toBeLessThanOrEqual(20);
  });

  it('a client never gets its own updates back, alone or in a batch with another client’s', async () => {
    const { column, clients } = await boardWith(3);
    const [first, second, observer] = clients;
    const firstBefore = first.updates().length;
    for (let index = 0; index < 50; index++) first.board.addCard(column, { title: `seul ${index}`, createdBy: 'a' });
    await eventually(() => observer.board.listCards(column).length === 50, 10_000, 'the burst on the observer');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Nobody else wrote: nothing to send back to the writer.
    expect(first.updates().length).toBe(firstBefore);

    // Both write in the same turn: each gets the other's cards and none of its own.
    const firstMark = first.updates().length;
    const secondMark = second.updates().length;
    for (let index = 0; index < 20; index++) {
      first.board.addCard(column, { title: `A${index}`, createdBy: 'a' });
      second.board.addCard(column, { title: `B${index}`, createdBy: 'b' });
    }
    await eventually(() => observer.board.listCards(column).length === 90, 10_000, 'both bursts on the observer');
    await eventually(() => snapshot(first.board) === snapshot(second.board) && snapshot(first.board) === snapshot(observer.board), 5000, 'convergence');
    /** Structs made by `client` in a list of received updates. */
    const structsBy = (updates: Uint8Array[], client: number) =>
      updates.reduce((count, update) => count + Y.decodeUpdate(update).structs.filter((struct) => struct.id.client === client).length, 0);
    const toFirst = first.updates().slice(firstMark);
    const toSecond = second.updates().slice(secondMark);
    expect(structsBy(toFirst, second.doc.clientID)).toBeGreaterThan(0);
    expect(structsBy(toFirst, first.doc.clientID)).toBe(0);
    expect(structsBy(toSecond, first.doc.clientID)).toBeGreaterThan(0);
    expect(structsBy(toSecond, second.doc.clientID)).toBe(0);
  });

  it('an update is in the store before any other client receives it, also when storing is slow', async () => {
    const { boardId, column, clients } = await boardWith(2);
    const [writer, reader] = clients;
    appendDelayMs = 150;
    const seenAt = new Map<string, number>();
    reader.doc.on('afterTransaction', () => {
      for (const card of reader.board.listCards(column)) if (!seenAt.has(card.title)) seenAt.set(card.title, performance.now());
    });
    for (let index = 0; index < 30; index++) writer.board.addCard(column, { title: `lent ${index}`, createdBy: 'w' });
    await eventually(() => reader.board.listCards(column).length === 30, 10_000, 'every card on the reader');
    // For each card: the append holding it had resolved before the reader had it.
    expect(seenAt.size).toBe(30);
    for (const [title, at] of seenAt) {
      const storedBefore = new Y.Doc();
      for (const { update } of appended.filter((entry) => entry.at <= at)) Y.applyUpdate(storedBefore, update);
      const titles = new BoardDoc(storedBefore).listCards(column).map((card) => card.title);
      expect(titles, `"${title}" was stored before the reader received it`).toContain(title);
    }
    // And the store holds everything.
    expect(new BoardDoc(await storedDoc(documents, boardId)).listCards(column)).toHaveLength(30);
  });

  it('a burst of presence changes reaches the others as fewer awareness messages, stamped with the sender’s identity', async () => {
    const { clients } = await boardWith(2);
    const [mover, watcher] = clients;
    const before = watcher.awarenessMessages();
    // 30 awareness changes in one turn: the card someone has open, as it changes while they browse.
    for (let index = 0; index < 30; index++) mover.provider.awareness.setLocalStateField('openCardId', `card-${index}`);
    mover.provider.awareness.setLocalStateField('user', { id: 'forged', name: 'Quelqu’un d’autre', color: '#000000' });
    const presence = () => parsePresence(watcher.provider.awareness.getStates().get(mover.doc.clientID));
    await eventually(() => presence()?.openCardId === 'card-29', 5000, 'the last presence on the watcher');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const received = watcher.awarenessMessages() - before;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(31);
    // Stamped by the server with the authenticated identity, whatever the client claimed.
    expect(presence()?.user.name).toBe('admin');
  });

  describe('with a partner guest', () => {
    let adminCookie: string;
    let boardId: string;

    beforeEach(async () => {
      adminCookie = await login(server.url);
      const created = await api<BoardSummary>(server.url, '/api/boards', { method: 'POST', body: { title: 'Réunion Porto' }, cookie: adminCookie, headers: { origin: server.url } });
      boardId = created.body.id;
    });

    async function guestCookie(): Promise<string> {
      const invite = await api<GuestInviteCreated>(server.url, `/api/boards/${boardId}/guest-invites`, {
        method: 'POST',
        body: { role: 'viewer', label: 'Universidade do Porto', expiresInHours: 24 },
        cookie: adminCookie,
        headers: { origin: server.url },
      });
      const response = await fetch(`${server.url}/api/guest-invites/${invite.body.url.split('/guest/')[1]}/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.url },
        body: JSON.stringify({ name: 'Ana Sousa', organisation: 'Universidade do Porto' }),
      });
      expect(response.status).toBe(201);
      return response.headers.getSetCookie().find((c) => c.startsWith('passerelle_session='))!.split(';')[0];
    }

    it('never receives an internal value written in the middle of other people’s bursts', async () => {
      await server.sync.editDocument(boardId, (doc) => {
        const board = new BoardDoc(doc);
        board.addProposal(board.addColumn('Propositions'), { title: 'Renforcement des capacités Cameroun', createdBy: 'admin' });
      }, { id: 'admin', name: 'Admin' });
      const partner = open(boardId, { cookie: await guestCookie() });
      const colleague = open(boardId, { cookie: adminCookie });
      const stale = open(boardId, { cookie: adminCookie });
      const busy = open(boardId, { cookie: adminCookie });
      await Promise.all([partner, colleague, stale, busy].map((client) => synced(client.provider)));
      const [cardId] = [...stale.board.cards.keys()];
      const column = stale.board.listColumns()[0].id;

      // In one turn: another member adds cards, an older client writes a budget onto the shared
      // card between them, and goes on editing it.
      for (let index = 0; index < 10; index++) busy.board.addCard(column, { title: `note ${index}`, createdBy: 'b' });
      stale.board.cards.get(cardId)!.set('budgetEstimate', 987654);
      stale.board.cards.get(cardId)!.set('region', 'africa');
      for (let index = 10; index < 20; index++) busy.board.addCard(column, { title: `note ${index}`, createdBy: 'b' });

      await eventually(() => !stale.board.cards.get(cardId)!.has('budgetEstimate'), 5000, 'internal field removed');
      await eventually(() => new BoardDoc(partner.doc).getProposal(cardId)?.region === 'africa' && partner.board.listCards(column).length === 21, 5000, 'the burst on the guest');
      expect(partner.board.cards.get(cardId)!.has('budgetEstimate')).toBe(false);
      await eventually(() => snapshot(partner.board) === snapshot(colleague.board), 5000, 'the guest converges with members');
      // The value as Yjs encodes it on the wire: members saw it go by, the guest never did.
      const encoder = encoding.createEncoder();
      encoding.writeAny(encoder, 987654);
      const value = Buffer.from(encoding.toUint8Array(encoder));
      expect(Buffer.concat(colleague.frames).includes(value)).toBe(true);
      expect(Buffer.concat(partner.frames).includes(value)).toBe(false);
    });
  });
});
