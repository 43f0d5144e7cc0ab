/**
 * Where live meetings are kept: the narrow interface the meeting service works through, the JSON
 * form of what it stores, and the in-memory implementation for a single process. Several processes
 * behind a load balancer share a `RedisMeetingStateStore` (`redis-meeting-state.ts`) instead; both
 * pass the contract suite in `test/contract/meeting-state-store.contract.ts`.
 */
import { z } from 'zod';
import { BoardMeeting, BoardMeetingRecord } from './board-meeting.js';

/** One connection (socket) attending a board's meeting, and who it is. */
export const AttendanceRecord = z.object({
  /** The socket id: unique across processes, so two processes never overwrite each other's entries. */
  connectionId: z.string().min(1),
  person: z.object({ id: z.string().min(1), name: z.string(), kind: z.enum(['member', 'guest']) }),
  /** When the connection joined (epoch ms): the participants list is in joining order. */
  joinedAt: z.number(),
});
export type AttendanceRecord = z.infer<typeof AttendanceRecord>;

/** A board's meeting as read at one moment: the meeting (null: none runs) and who attends it. */
export interface MeetingSnapshot {
  meeting: BoardMeeting | null;
  attendance: AttendanceRecord[];
}

/** What a change works on: the board's meeting, which it may alter, replace, or end (null). */
export interface MeetingDraft {
  meeting: BoardMeeting | null;
}

/** How long things last without being refreshed. */
export interface MeetingLifetimes {
  /** A meeting nobody refreshes (no one attends anywhere) lapses this long after its last refresh. */
  idleMs: number;
  /** An attendance not refreshed for this long is dropped (its process stopped without saying so). */
  attendanceTtlMs: number;
}

/**
 * The state of every board's meeting, shared by every process that serves the board.
 *
 * Invariants an implementation keeps (the contract suite checks each):
 * - `update` is atomic per board: no other change to the same board's meeting, from this process or
 *   another, falls between the read it works on and its write, so concurrent changes all apply;
 * - a meeting lapses `idleMs` after the last `update` that changed it, or `attend` or `leave` on its board;
 * - an attendance lapses `attendanceTtlMs` after it was last recorded by `attend`;
 * - what is read back is validated: a stored value that is not a meeting is an error, not a meeting.
 */
export interface MeetingStateStore {
  /**
   * Whether other processes share this store. When they do, the meeting service tells them about
   * each change (through the socket.io adapter) so that they update the people connected to them.
   */
  readonly sharedAcrossProcesses: boolean;
  /** The board's meeting and the connections attending it, now. */
  read(boardId: string): Promise<MeetingSnapshot>;
  /**
   * Runs `change` on a fresh copy of the board's meeting and stores what it leaves in the draft
   * (nothing is written if that is unchanged), as one step. `change` may run more than once (when
   * another process changed the meeting meanwhile), so it must do nothing but work on the draft and
   * compute its result; it throws to refuse, and then nothing is written.
   */
  update<T>(boardId: string, change: (draft: MeetingDraft) => T, lifetimes: Pick<MeetingLifetimes, 'idleMs'>): Promise<T>;
  /**
   * Records connections as attending the board's meeting (again: a refresh), and keeps the meeting
   * from lapsing. Returns how many other attendances had lapsed and were dropped on the way, so that
   * the caller can tell everyone that the participants changed.
   */
  attend(boardId: string, attendance: AttendanceRecord[], lifetimes: MeetingLifetimes): Promise<number>;
  /** Forgets connections that left; the meeting's idle time counts from now at the latest. */
  leave(boardId: string, connectionIds: string[], lifetimes: Pick<MeetingLifetimes, 'idleMs'>): Promise<void>;
  /** Lets go of connections and timers; the store is not used afterwards. */
  close(): Promise<void>;
}

/** Thrown when a stored meeting or attendance is not what a store writes, or a store cannot complete a change. */
export class MeetingStateStoreError extends Error {
  override readonly name = 'MeetingStateStoreError';
}

/** A meeting as stored: JSON of its record. */
export function encodeMeeting(meeting: BoardMeeting): string {
  return JSON.stringify(meeting.toRecord());
}

/** A stored meeting, validated; throws `MeetingStateStoreError` for anything else. */
export function decodeMeeting(json: string, boardId: string): BoardMeeting {
  const parsed = BoardMeetingRecord.safeParse(parseJson(json));
  if (!parsed.success) throw new MeetingStateStoreError(`the stored meeting of board ${boardId} is not a meeting: ${parsed.error.message}`);
  return BoardMeeting.fromRecord(parsed.data);
}

/** A stored attendance, validated; throws `MeetingStateStoreError` for anything else. */
export function decodeAttendance(json: string, boardId: string): AttendanceRecord {
  const parsed = AttendanceRecord.safeParse(parseJson(json));
  if (!parsed.success) throw new MeetingStateStoreError(`a stored attendance of board ${boardId} is not one: ${parsed.error.message}`);
  return parsed.data;
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

/** A board's entry in the in-memory store. */
interface MemoryBoard {
  /** The meeting's JSON (not the object: each change works on its own copy, as with Redis). */
  meeting: string | null;
  lapse: NodeJS.Timeout | null;
  attendance: Map<string, { record: AttendanceRecord; expiresAt: number }>;
}

/**
 * The store for one process: meetings in this process's memory, lost on restart (as a meeting
 * is meant to be: what must last is written to the board). JavaScript runs each `update` to its end
 * before the next, which is all the atomicity one process needs.
 */
export class MemoryMeetingStateStore implements MeetingStateStore {
  readonly sharedAcrossProcesses = false;
  readonly #boards = new Map<string, MemoryBoard>();

  async read(boardId: string): Promise<MeetingSnapshot> {
    const board = this.#boards.get(boardId);
    if (!board) return { meeting: null, attendance: [] };
    this.#dropLapsedAttendance(board);
    return {
      meeting: board.meeting === null ? null : decodeMeeting(board.meeting, boardId),
      attendance: [...board.attendance.values()].map(({ record }) => structuredClone(record)),
    };
  }

  async update<T>(boardId: string, change: (draft: MeetingDraft) => T, lifetimes: Pick<MeetingLifetimes, 'idleMs'>): Promise<T> {
    const board = this.#board(boardId);
    const before = board.meeting;
    const draft: MeetingDraft = { meeting: before === null ? null : decodeMeeting(before, boardId) };
    const result = change(draft);
    const after = draft.meeting === null ? null : encodeMeeting(draft.meeting);
    if (after !== before) {
      board.meeting = after;
      this.#keepMeeting(boardId, board, lifetimes.idleMs);
    }
    this.#forgetIfEmpty(boardId, board);
    return result;
  }

  async attend(boardId: string, attendance: AttendanceRecord[], lifetimes: MeetingLifetimes): Promise<number> {
    const board = this.#board(boardId);
    const dropped = this.#dropLapsedAttendance(board);
    const expiresAt = Date.now() + lifetimes.attendanceTtlMs;
    for (const record of attendance) board.attendance.set(record.connectionId, { record: structuredClone(record), expiresAt });
    this.#keepMeeting(boardId, board, lifetimes.idleMs);
    this.#forgetIfEmpty(boardId, board);
    return dropped;
  }

  async leave(boardId: string, connectionIds: string[], lifetimes: Pick<MeetingLifetimes, 'idleMs'>): Promise<void> {
    const board = this.#boards.get(boardId);
    if (!board) return;
    for (const connectionId of connectionIds) board.attendance.delete(connectionId);
    this.#keepMeeting(boardId, board, lifetimes.idleMs);
    this.#forgetIfEmpty(boardId, board);
  }

  async close(): Promise<void> {
    for (const board of this.#boards.values()) if (board.lapse) clearTimeout(board.lapse);
    this.#boards.clear();
  }

  #board(boardId: string): MemoryBoard {
    let board = this.#boards.get(boardId);
    if (!board) {
      board = { meeting: null, lapse: null, attendance: new Map() };
      this.#boards.set(boardId, board);
    }
    return board;
  }

  /** (Re)starts the meeting's idle countdown, as a Redis key's PEXPIRE does. */
  #keepMeeting(boardId: string, board: MemoryBoard, idleMs: number): void {
    if (board.lapse) clearTimeout(board.lapse);
    board.lapse = null;
    if (board.meeting === null) return;
    board.lapse = setTimeout(() => {
      board.lapse = null;
      board.meeting = null;
      this.#forgetIfEmpty(boardId, board);
    }, idleMs);
    board.lapse.unref();
  }

  /** Drops attendances past their expiry; returns how many. */
  #dropLapsedAttendance(board: MemoryBoard): number {
    const now = Date.now();
    let dropped = 0;
    for (const [connectionId, { expiresAt }] of board.attendance) {
      if (expiresAt > now) continue;
      board.attendance.delete(connectionId);
      dropped++;
    }
    return dropped;
  }

  /** A board with no meeting and no one attending takes no memory. */
  #forgetIfEmpty(boardId: string, board: MemoryBoard): void {
    if (board.meeting === null && board.attendance.size === 0 && this.#boards.get(boardId) === board) {
      if (board.lapse) clearTimeout(board.lapse);
      this.#boards.delete(boardId);
    }
  }
}
