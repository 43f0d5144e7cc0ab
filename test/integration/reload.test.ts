/**
 * A board loaded from its stored snapshot (after a restart) answers fresh clients with the whole
 * document encoded once, kept until the document changes: every fresh client must still get the
 * board as it is now, and a guest never a value the guard removed.
 */
import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { BOARD_SCHEMA_VERSION, BoardDoc, type GuestInviteCreated } from '@passerelle/shared';
import { openDatabase } from '../../server/src/store/sqlite-database.js';
import { SqliteDocumentStore } from '../../server/src/store/sqlite-document-store.js';
import { api, eventually, joinAsGuest, login, synced } from '../helpers/test-server.js';
import { adminWithBoardPerTest, serverPerTest } from '../helpers/per-test.js';
import { cookieClient } from '../helpers/sync-client.js';

/** y-websocket frame kinds the tests tell apart: `[messageType, syncType]` of a sync frame. */
const SYNC = 0;
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;

/** The message and sync types of a frame, and the payload of a sync step 2. */
function readFrame(frame: Uint8Array): { messageType: number; syncType?: number; update?: Uint8Array } {
  const decoder = decoding.createDecoder(frame);
  const messageType = decoding.readVarUint(decoder);
  if (messageType !== SYNC) return { messageType };
  const syncType = decoding.readVarUint(decoder);
  return { messageType, syncType, update: syncType === SYNC_STEP_2 ? decoding.readVarUint8Array(decoder) : undefined };
}

/** The bytes Yjs writes for `value` in an update (how a budget would travel). */
function encodedValue(value: unknown): Buffer {
  const encoder = encoding.createEncoder();
  encoding.writeAny(encoder, value as never);
  return Buffer.from(encoding.toUint8Array(encoder));
}

/** Reads or writes the stored documents of a data directory while no server has it open. */
async function withStore<T>(dataDir: string, use: (store: SqliteDocumentStore) => Promise<T>): Promise<T> {
  const db = openDatabase(dataDir);
  try {
    return await use(new SqliteDocumentStore(db));
  } finally {
    db.close();
  }
}

describe('fresh clients of a board loaded from its snapshot', () => {
  const ctx = serverPerTest();
  const setup = adminWithBoardPerTest(() => ctx.server.url, 'Mobilités 2027');

  /** A stock client signed in with a cookie, recording its frames; `cardsAtSync` is read when it reports synced. */
  function open(cookie: string): { doc: Y.Doc; board: BoardDoc; provider: WebsocketProvider; frames: Buffer[]; cardsAtSync: Promise<number> } {
    const { doc, provider, frames } = cookieClient(ctx.server.url, setup.boardId, cookie, ctx.track);
    const board = new BoardDoc(doc);
    const cardsAtSync = new Promise<number>((resolve) => provider.on('sync', (isSynced: boolean) => isSynced && resolve(board.cards.size)));
    return { doc, board, provider, frames, cardsAtSync };
  }

  /** Closes every connection and the server, runs `offline` on the stored data, and starts the server again on it. */
  async function restart(offline: () => Promise<void> = async () => {}): Promise<void> {
    await ctx.restart({}, offline);
    setup.adminCookie = await login(ctx.server.url);
  }

  /**
   * Replaces the stored board by a board written by schema version 2: one proposal carrying a
   * budget on the card itself (which version 3 moved to the internal document), as one snapshot
   * recorded at `recordedVersion`.
   */
  async function storeVersion2Board(recordedVersion: number | null, budget: number): Promise<void> {
    const old = new Y.Doc();
    const board = new BoardDoc(old);
    const column = board.addColumn('Propositions');
    const proposal = board.addProposal(column, { title: 'Double diplôme Porto', createdBy: 'w' });
    for (let index = 0; index < 20; index++) board.addCard(column, { title: `carte ${index}`, createdBy: 'w' });
    old.transact(() => {
      board.cards.get(proposal)!.set('budgetEstimate', budget);
      board.meta.set('schemaVersion', 2);
    });
    await withStore(ctx.dataDir, async (store) => {
      await store.delete(setup.boardId);
      const seq = await store.append(setup.boardId, Y.encodeStateAsUpdate(old));
      await store.compact(setup.boardId, Y.encodeStateAsUpdate(old), seq, recordedVersion);
    });
  }

  /** Writes `count` cards, closes every connection and restarts the server on the same data. */
  async function storedBoardOf(count: number): Promise<string> {
    const writer = open(setup.adminCookie);
    await synced(writer.provider);
    const column = writer.board.addColumn('Propositions');
    writer.doc.transact(() => {
      for (let index = 0; index < count; index++) {
        if (index === 0) writer.board.addProposal(column, { title: 'Renforcement des capacités Cameroun', createdBy: 'w' });
        else writer.board.addCard(column, { title: `carte ${index}`, createdBy: 'w' });
      }
    });
    await eventually(async () => {
      const check = open(setup.adminCookie);
      return (await check.cardsAtSync) === count;
    }, 5000, 'the board stored');
    // A graceful restart compacts every board into a snapshot.
    await ctx.restart();
    setup.adminCookie = await login(ctx.server.url);
    return column;
  }

  it('each fresh client is synced with the board as it is at that moment, before and after a change', async () => {
    const column = await storedBoardOf(200);
    const first = open(setup.adminCookie);
    expect(await first.cardsAtSync).toBe(200);
    first.board.addCard(column, { title: 'ajoutée après le redémarrage', createdBy: 'a' });
    await eventually(async () => {
      const probe = open(setup.adminCookie);
      return (await probe.cardsAtSync) === 201;
    }, 5000, 'a fresh client sees the new card');
    // And one more fresh client, with nothing changed in between, gets the same board.
    const next = open(setup.adminCookie);
    expect(await next.cardsAtSync).toBe(201);
    expect(next.board.listCards(column).map((card) => card.title)).toEqual(first.board.listCards(column).map((card) => card.title));
  });

  it('a guest arriving after an internal value was written and removed never receives it', async () => {
    await storedBoardOf(20);
    const stale = open(setup.adminCookie);
    expect(await stale.cardsAtSync).toBe(20);
    const proposal = [...stale.board.cards.entries()].find(([, card]) => card.get('kind') === 'proposal')![0];
    stale.board.cards.get(proposal)!.set('budgetEstimate', 987654);
    await eventually(() => !stale.board.cards.get(proposal)!.has('budgetEstimate'), 5000, 'internal field removed');

    const invite = await api<GuestInviteCreated>(ctx.server.url, `/api/boards/${setup.boardId}/guest-invites`, {
      method: 'POST',
      body: { role: 'viewer', label: 'Universidade do Porto', expiresInHours: 24 },
      cookie: setup.adminCookie,
      headers: { origin: ctx.server.url },
    });
    const joined = await fetch(`${ctx.server.url}/api/guest-invites/${invite.body.url.split('/guest/')[1]}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ctx.server.url },
      body: JSON.stringify({ name: 'Ana Sousa', organisation: 'Universidade do Porto' }),
    });
    const guestCookie = joined.headers.getSetCookie().find((c) => c.startsWith('passerelle_session='))!.split(';')[0];
    const partner = open(guestCookie);
    expect(await partner.cardsAtSync).toBe(20);
    const encoder = encoding.createEncoder();
    encoding.writeAny(encoder, 987654);
    expect(Buffer.concat(partner.frames).includes(Buffer.from(encoding.toUint8Array(encoder)))).toBe(false);
  });

  it("answers a member's fresh client with the stored snapshot before the board has loaded, then syncs it as usual", async () => {
    const column = await storedBoardOf(300);
    let snapshot: Uint8Array | null = null;
    let recordedVersion: number | null = null;
    // A graceful close compacts: one snapshot, recorded at the current version.
    await restart(async () => {
      const loaded = await withStore(ctx.dataDir, (store) => store.load(setup.boardId));
      expect(loaded.pendingUpdates).toBe(0);
      expect(loaded.updates).toHaveLength(1);
      snapshot = loaded.updates[0];
      recordedVersion = loaded.snapshotSchemaVersion;
    });
    expect(recordedVersion).toBe(BOARD_SCHEMA_VERSION);

    const member = open(setup.adminCookie);
    expect(await member.cardsAtSync).toBe(300);
    // The server's own sync step 1 goes out once the board is loaded; an answer before it was sent
    // while the board was still loading, and it is the stored snapshot itself.
    const first = readFrame(member.frames[0]);
    expect(first).toMatchObject({ messageType: SYNC, syncType: SYNC_STEP_2 });
    expect(Buffer.from(first.update!).equals(Buffer.from(snapshot!))).toBe(true);
    expect(member.frames.slice(1).some((frame) => readFrame(frame).syncType === SYNC_STEP_1)).toBe(true);
    // And the room then works as always: an edit reaches another fresh client.
    member.board.addCard(column, { title: 'après le redémarrage', createdBy: 'a' });
    await eventually(async () => (await open(setup.adminCookie).cardsAtSync) === 301, 5000, 'a fresh client sees the new card');
  });

  it('does not serve a snapshot of an older schema raw: the member gets the board once migrated, without the moved budget', async () => {
    await storedBoardOf(1);
    await restart(() => storeVersion2Board(2, 424242));

    const member = open(setup.adminCookie);
    expect(await member.cardsAtSync).toBe(21);
    expect(readFrame(member.frames[0])).toMatchObject({ messageType: SYNC, syncType: SYNC_STEP_1 });
    expect(member.board.schemaVersion).toBe(BOARD_SCHEMA_VERSION);
    expect([...member.board.cards.values()].some((card) => card.has('budgetEstimate'))).toBe(false);
    expect(Buffer.concat(member.frames).includes(encodedValue(424242))).toBe(false);
    // Nor one stored before versions were recorded.
    await restart(() => storeVersion2Board(null, 535353));
    const next = open(setup.adminCookie);
    expect(await next.cardsAtSync).toBe(21);
    expect(readFrame(next.frames[0])).toMatchObject({ messageType: SYNC, syncType: SYNC_STEP_1 });
    expect(Buffer.concat(next.frames).includes(encodedValue(535353))).toBe(false);
  });

  it('never serves a guest the stored snapshot before the load, even one recorded at the current version', async () => {
    await storedBoardOf(1);
    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: { cookie: setup.adminCookie }, boardId: setup.boardId });
    // The recorded version claims the current schema, but the document holds a version 2 budget:
    // only the load's migration may decide what a guest sees.
    await restart(() => storeVersion2Board(BOARD_SCHEMA_VERSION, 616161));

    const partner = open(guest.cookie);
    expect(await partner.cardsAtSync).toBe(21);
    expect(readFrame(partner.frames[0])).toMatchObject({ messageType: SYNC, syncType: SYNC_STEP_1 });
    expect([...partner.board.cards.values()].some((card) => card.has('budgetEstimate'))).toBe(false);
    expect(Buffer.concat(partner.frames).includes(encodedValue(616161))).toBe(false);
  });
});
