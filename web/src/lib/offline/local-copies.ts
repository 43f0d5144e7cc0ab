/**
 * This browser's own copies of a signed-in member's synced documents, kept in IndexedDB
 * (y-indexeddb) so that edits made offline survive a reload or a closed tab and are sent when the
 * network returns; and the little the app needs to open offline (who is signed in, the summaries of
 * the boards they opened), kept in localStorage.
 *
 * Every name carries the account's id (`passerelle:<accountId>:<document>`), so two people using one
 * computer never open each other's copies. A partner guest gets no copy at all: a shared computer
 * must not keep a school's data. Signing out deletes the account's copies.
 */
import { LOCAL_COPY_COOKIE, type BoardSummary, type Me } from '@passerelle/shared';
import { setBoardCookie } from '../board-cookie.js';
import { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';

/** What every name this module writes starts with. */
const PREFIX = 'passerelle:';
/** The localStorage key of the last signed-in member (what the app shell needs to open offline). */
const ACCOUNT_KEY = `${PREFIX}account`;

/** The member whose documents are kept here; null for a guest or before anyone signed in. */
let keptFor: string | null = null;
/** The copies open now, closed before their databases are deleted. */
const openCopies = new Set<IndexeddbPersistence>();

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled by the browser's settings
  }
}

/** The IndexedDB database of one document for one account. */
export function copyName(accountId: string, documentName: string): string {
  return `${PREFIX}${accountId}:${documentName}`;
}

/**
 * Records who is signed in. A member's documents are kept from now on, and who they are is
 * remembered for opening offline; a guest's never are, and nothing of theirs is remembered.
 */
export function adoptAccount(me: Me): void {
  const store = storage();
  if (me.guest) {
    keptFor = null;
    store?.removeItem(ACCOUNT_KEY);
    return;
  }
  keptFor = me.id;
  store?.setItem(ACCOUNT_KEY, JSON.stringify(me));
}

/** The member last signed in on this browser, as remembered (never a guest), or null. */
function readAccount(): Me | null {
  const saved = storage()?.getItem(ACCOUNT_KEY);
  if (!saved) return null;
  try {
    const me = JSON.parse(saved) as Me;
    return me.guest ? null : me;
  } catch {
    return null;
  }
}

/** The id of the member last signed in on this browser, or null (read only: nobody is adopted). */
export function rememberedAccountId(): string | null {
  return readAccount()?.id ?? null;
}

/** The member last signed in on this browser, for opening the app while the server cannot be reached. */
export function rememberedAccount(): Me | null {
  const me = readAccount();
  if (me) keptFor = me.id;
  return me;
}

/**
 * Tells the server, on the board's own path only, that this browser keeps a copy of the board for
 * this member (`accountId`), or no longer does (null): the board's page then comes without the
 * board's first screen drawn in, which could hide changes the copy holds and the server has not
 * received yet.
 */
function markCopy(boardId: string, accountId: string | null): void {
  setBoardCookie(boardId, LOCAL_COPY_COOKIE, accountId);
}

/** Keeps a board's summary, for opening it offline (members only). */
export function rememberBoard(summary: BoardSummary): void {
  if (!keptFor) return;
  storage()?.setItem(`${PREFIX}${keptFor}:board:${summary.id}`, JSON.stringify(summary));
  markCopy(summary.id, keptFor);
}

/** A board's summary as last seen online, if it was kept. */
export function rememberedBoard(boardId: string): BoardSummary | null {
  const saved = keptFor ? storage()?.getItem(`${PREFIX}${keptFor}:board:${boardId}`) : null;
  if (!saved) return null;
  try {
    return JSON.parse(saved) as BoardSummary;
  } catch {
    return null;
  }
}

/** Opens the local copy of a document for the signed-in member; null for a guest or when IndexedDB is missing. */
export function openLocalCopy(documentName: string, doc: Y.Doc): IndexeddbPersistence | null {
  if (!keptFor || typeof indexedDB === 'undefined') return null;
  const copy = new IndexeddbPersistence(copyName(keptFor, documentName), doc);
  openCopies.add(copy);
  return copy;
}

/** Closes a copy (the document is closed); what it holds stays. */
export function closeLocalCopy(copy: IndexeddbPersistence): Promise<void> {
  openCopies.delete(copy);
  return copy.destroy();
}

/** Deletes one document's copy: the server deleted it, or this person may no longer open it. */
export function deleteLocalCopy(copy: IndexeddbPersistence): Promise<void> {
  openCopies.delete(copy);
  return copy.clearData();
}

/**
 * Deletes what this browser kept of a board (its summary, its documents' copies): the server says it
 * no longer exists or is no longer this person's to open.
 */
export async function forgetBoard(boardId: string): Promise<void> {
  if (!keptFor) return;
  storage()?.removeItem(`${PREFIX}${keptFor}:board:${boardId}`);
  markCopy(boardId, null);
  const board = copyName(keptFor, boardId);
  await deleteDatabases((name) => name === board || name.startsWith(`${board}/`));
}

/**
 * Forgets the signed-in member on this browser (at sign-out, or when the server ended their
 * session): closes their open copies, then deletes every database and remembered value of theirs.
 */
export async function forgetAccount(): Promise<void> {
  const accountId = keptFor ?? rememberedAccount()?.id ?? null;
  keptFor = null;
  const store = storage();
  store?.removeItem(ACCOUNT_KEY);
  await Promise.all([...openCopies].map((copy) => closeLocalCopy(copy)));
  if (!accountId) return;
  const own = `${PREFIX}${accountId}:`;
  if (store) {
    for (const key of Object.keys(store)) {
      if (!key.startsWith(own)) continue;
      if (key.startsWith(`${own}board:`)) markCopy(key.slice(`${own}board:`.length), null);
      store.removeItem(key);
    }
  }
  await deleteDatabases((name) => name.startsWith(own));
}

/** Deletes the databases whose name `matches` (a copy still open is closed first by its document). */
async function deleteDatabases(matches: (name: string) => boolean): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  const databases = await indexedDB.databases();
  await Promise.all(
    databases
      .filter((database) => database.name !== undefined && matches(database.name))
      .map(
        (database) =>
          new Promise<void>((resolve) => {
            const request = indexedDB.deleteDatabase(database.name!);
            request.onsuccess = request.onerror = () => resolve();
          }),
      ),
  );
}
