import type { Logger } from 'pino';
import type { HistoryEntry } from '@passerelle/shared';
import { BoardAccess } from '../access/board-access.js';
import type { MemberPrincipal } from '../auth/auth-service.js';
import type { ActivityStore, BoardDirectory, PeopleStore, UserRecord } from '../store/account-store.js';
import type { BoardChange } from '../sync/sync-server.js';
import { HistoryCoalescer, SubjectTitles, describeTransaction, detectAssignments, type OpenEntry } from './board-history.js';
import type { Notify } from './notifier.js';

export interface BoardChangeListenerOptions {
  people: PeopleStore;
  directory: BoardDirectory;
  activity: ActivityStore;
  notify: Notify;
  logger: Logger;
  /**
   * How long one person's consecutive changes to one subject make a single history entry, from the
   * first (default 60 s): long enough for a burst of typing, short enough that a later session of
   * work on the same card is its own entry.
   */
  coalesceWindowMs?: number;
}

/** The `onBoardChange` hook of the sync server, with the history it has not written yet. */
export interface BoardChangeListener {
  (change: BoardChange): void;
  /**
   * History entries still open for coalescing (or being written), newest first, so that a reader
   * sees a change at once. They have negative ids until written.
   */
  pendingHistory(boardId: string, cardId?: string): HistoryEntry[];
  /** Writes every open entry now. */
  flush(): Promise<void>;
  /** Writes every open entry and stops the timer (call before closing the account store). */
  close(): Promise<void>;
}

/** A member principal for an account, to ask `BoardAccess` what they may see. */
export function memberPrincipal(user: UserRecord): MemberPrincipal {
  return { kind: 'member', id: user.id, name: user.name, user, via: 'token', sessionHash: null, expiresAt: null };
}

/**
 * Builds the `onBoardChange` hook: every change becomes history (coalesced per person and subject,
 * written in order), and an action item given to someone other than its author notifies them. It
 * never throws into the sync path: a failure is logged and the edit goes on.
 */
export function createBoardChangeListener(options: BoardChangeListenerOptions): BoardChangeListener {
  const { people, directory, activity, notify, logger } = options;
  const windowMs = options.coalesceWindowMs ?? 60_000;
  const access = new BoardAccess(directory);
  const coalescer = new HistoryCoalescer({ windowMs });
  const titles = new Map<string, SubjectTitles>();
  /**
   * Titles are only needed while their board is loaded: once the room's document is collected, its
   * titles go too, so that a server that opened thousands of boards does not keep all their titles.
   */
  const releaseTitles = new FinalizationRegistry<string>((boardId) => {
    if (titles.get(boardId)?.released) titles.delete(boardId);
  });
  /** Entries closed but not yet stored, so that readers still see them. */
  const writing = new Set<OpenEntry>();
  /** Writes one after another, so that stored ids follow the order of the changes. */
  let writes: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const titlesOf = (boardId: string) => {
    let board = titles.get(boardId);
    if (!board) {
      board = new SubjectTitles();
      titles.set(boardId, board);
    }
    return board;
  };

  const write = (entries: OpenEntry[]) => {
    if (entries.length === 0) return writes;
    for (const entry of entries) writing.add(entry);
    writes = writes.then(async () => {
      const byBoard = new Map<string, OpenEntry[]>();
      for (const entry of entries) byBoard.set(entry.boardId, [...(byBoard.get(entry.boardId) ?? []), entry]);
      for (const [boardId, group] of byBoard) {
        try {
          await activity.appendHistory(
            boardId,
            group.map((open) => open.entry),
          );
        } catch (error) {
          logger.error({ err: error, boardId, entries: group.length }, 'history could not be stored');
        } finally {
          for (const entry of group) writing.delete(entry);
        }
      }
    });
    return writes;
  };

  const tick = () => {
    void write(coalescer.closeExpired(Date.now()));
    if (coalescer.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
  const ensureTimer = () => {
    if (timer || closed || coalescer.size === 0) return;
    timer = setInterval(tick, Math.min(1000, windowMs));
    timer.unref();
  };

  const notifyAssignments = async (change: BoardChange, assignments: ReturnType<typeof detectAssignments>) => {
    const board = await directory.getBoard(change.boardId);
    if (!board) return;
    for (const assignment of assignments) {
      const owner = await people.findUserById(assignment.ownerId);
      if (!owner || owner.deactivatedAt !== null) continue;
      // Someone who cannot open the board would get a notification that leads nowhere.
      if ((await access.roleOf(memberPrincipal(owner), change.boardId)) === null) continue;
      await notify(owner.id, {
        kind: 'assignment',
        boardId: change.boardId,
        boardTitle: board.title,
        cardId: assignment.actionId,
        subject: assignment.title,
        actorId: change.actor.id,
        actorName: change.actor.name,
        excerpt: '',
      });
    }
  };

  const listener = ((change: BoardChange) => {
    try {
      const boardTitles = titlesOf(change.boardId);
      if (change.document === 'board' && boardTitles.adopt(change.doc)) releaseTitles.register(change.doc, change.boardId);
      const changes = describeTransaction(change.document, change.transaction, boardTitles);
      if (changes.length > 0) {
        void write(coalescer.add(change.boardId, change.actor, changes, Date.now()));
        ensureTimer();
      }
      if (change.document === 'board') {
        const assignments = detectAssignments(change.transaction).filter((assignment) => assignment.ownerId !== change.actor.id);
        if (assignments.length > 0) {
          notifyAssignments(change, assignments).catch((error: unknown) =>
            logger.error({ err: error, boardId: change.boardId }, 'assignment notification failed'),
          );
        }
      }
    } catch (error) {
      logger.error({ err: error, boardId: change.boardId, document: change.document }, 'board change could not be recorded');
    }
  }) as BoardChangeListener;

  listener.pendingHistory = (boardId, cardId) => {
    const open = [...writing, ...coalescer.openEntries(boardId)].filter(
      (entry) => entry.boardId === boardId && (cardId === undefined || entry.entry.cardId === cardId),
    );
    return open
      .map((entry) => ({ ...entry.entry, fields: [...entry.entry.fields], coActors: [...entry.entry.coActors] }))
      .sort((a, b) => b.at.localeCompare(a.at))
      .map((entry, index) => ({ ...entry, id: -(index + 1) }));
  };
  listener.flush = () => write(coalescer.closeExpired(Infinity));
  listener.close = async () => {
    closed = true;
    if (timer) clearInterval(timer);
    timer = null;
    await listener.flush();
  };
  return listener;
}
