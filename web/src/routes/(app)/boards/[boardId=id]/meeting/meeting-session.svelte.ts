/**
 * The board's meeting as this page sees it: the state the server broadcasts, what only this person
 * may see (their dots, their hidden contributions), the agenda from the board document, the timer
 * ticking locally against the server's clock, and whether this page follows the presenter.
 */
import {
  byPosition,
  can,
  positionAt,
  timerRemainingMs,
  type AgendaItem,
  type BoardRole,
  type ClientToServerEvents,
  type MeetingErrorCode,
  type MeetingPersonalState,
  type MeetingReply,
  type MeetingState,
  type PlannedMeetingInput,
  type PresenterView,
  type Stored,
  type StoredPlannedMeeting,
} from '@passerelle/shared';
import { connectMeeting, type MeetingCommand, type MeetingConnection } from '#lib/meeting-client.js';
import { locale, t } from '#lib/i18n.svelte.js';
import { toasts } from '#lib/toasts.svelte.js';
import type { BoardSession } from '../board-session.svelte.js';

/** What a meeting needs of the board's session: the board document and its connection, and who this person is. */
export type MeetingBoard = Pick<BoardSession, 'boardId' | 'me' | 'sync' | 'board'>;

const NO_PERSONAL: Omit<MeetingPersonalState, 'boardId'> = { roundId: null, votes: {}, remainingVotes: 0, contributions: [] };

export class MeetingSession {
  readonly boardId: string;
  meeting = $state.raw<MeetingState | null>(null);
  personal = $state.raw<Omit<MeetingPersonalState, 'boardId'>>(NO_PERSONAL);
  /** The agenda, from the board document: read again after each change of it. */
  readonly agenda: Stored<AgendaItem>[] = $derived.by(() => {
    void this.#session.sync.versionOf(this.#session.board.agenda.map);
    return this.#session.board.agenda.list().sort(byPosition);
  });
  /** The meetings planned on the board, soonest first, from the board document. */
  readonly planned: StoredPlannedMeeting[] = $derived.by(() => {
    void this.#session.sync.versionOf(this.#session.board.plannedMeetings.map);
    return this.#session.board.plannedMeetings.list();
  });
  /** Whether this page shows the meeting tools; they close for everyone when the meeting ends. */
  toolsOpen = $state(false);
  /** Whether this page copies the presenter's view; a person stops and resumes at will. */
  following = $state(true);
  /** The latest view of the presenter's, to apply while following. */
  presenterView = $state.raw<PresenterView | null>(null);
  /** Milliseconds left on the shared timer, updated a few times a second while it runs. */
  remainingMs = $state(0);

  readonly #session: MeetingBoard;
  readonly #role: () => BoardRole | null;
  readonly #connection: MeetingConnection;
  /** Server clock minus ours, so that every screen's timer shows the same second. */
  #clockOffset = 0;
  #tick: ReturnType<typeof setInterval> | null = null;

  /** `role` is read on each use: the person's role on the board may change during the visit. */
  constructor(session: MeetingBoard, role: () => BoardRole | null) {
    this.#session = session;
    this.boardId = session.boardId;
    this.#role = role;
    this.#connection = connectMeeting(this.boardId, () => locale.current, {
      onState: (update) => {
        this.#clockOffset = update.serverNow - Date.now();
        const startedNow = update.meeting && update.meeting.meetingId !== this.meeting?.meetingId;
        this.meeting = update.meeting;
        if (startedNow) this.following = true;
        // No tools for a meeting that is over: the panel would only offer commands the server refuses.
        if (!update.meeting) this.toolsOpen = false;
        if (update.meeting?.presenterView) this.presenterView = update.meeting.presenterView;
        this.#updateTimer();
      },
      onPersonal: ({ boardId: _boardId, ...personal }) => (this.personal = personal),
      onView: (event) => (this.presenterView = event.view),
    });
  }

  get role(): BoardRole | null {
    return this.#role();
  }

  get myId(): string {
    return this.#session.me.id;
  }

  get running(): boolean {
    return this.meeting !== null;
  }

  /** Whether this person facilitates the running meeting. */
  get facilitating(): boolean {
    return this.meeting?.facilitator.id === this.#session.me.id;
  }

  get canFacilitate(): boolean {
    return can.facilitate(this.role);
  }

  get canContribute(): boolean {
    return can.comment(this.role);
  }

  get canEditAgenda(): boolean {
    return can.edit(this.role);
  }

  /** Whether this page should copy the presenter's view now. */
  get followsPresenter(): boolean {
    return this.running && this.following && !this.facilitating;
  }

  get votingOpen(): boolean {
    return this.meeting?.voting?.status === 'open';
  }

  /** Dots per card once a round is revealed (for the badges on cards). */
  get revealedVotes(): Map<string, number> {
    const results = this.meeting?.voting?.status === 'revealed' ? this.meeting.voting.results : null;
    return new Map((results ?? []).map((tally) => [tally.cardId, tally.votes]));
  }

  /** Sends a meeting message; a refusal is shown to the person and returned as false. */
  async send<E extends MeetingCommand>(event: E, message: Parameters<ClientToServerEvents[E]>[0]): Promise<MeetingReply<any>> {
    const reply = await this.#connection.send(event, message);
    if (!reply.ok) this.#showError(reply.error);
    return reply;
  }

  /** Tells followers where the presenter is (callers throttle). */
  present(view: PresenterView): void {
    if (this.facilitating) void this.#connection.send('meeting:present', { boardId: this.boardId, view });
  }

  addAgendaItem(title: string, minutes: number): void {
    const trimmed = title.trim();
    if (!trimmed) return;
    this.#session.sync.transact(() => this.#session.board.agenda.create({ title: trimmed, minutes, position: positionAt(this.agenda, this.agenda.length) }));
  }

  updateAgendaItem(id: string, patch: Partial<Pick<AgendaItem, 'title' | 'minutes' | 'done'>>): void {
    this.#session.sync.transact(() => this.#session.board.agenda.update(id, patch));
  }

  deleteAgendaItem(id: string): void {
    this.#session.sync.transact(() => this.#session.board.agenda.delete(id));
  }

  /** Plans a meeting, or (with `id`) changes one. Throws `ValidationError`. */
  savePlanned(input: PlannedMeetingInput, id?: string): void {
    const meetings = this.#session.board.plannedMeetings;
    this.#session.sync.transact(() => (id ? meetings.update(id, input) : meetings.create(input)));
  }

  cancelPlanned(id: string): void {
    this.#session.sync.transact(() => this.#session.board.plannedMeetings.delete(id));
  }

  destroy(): void {
    if (this.#tick) clearInterval(this.#tick);
    this.#connection.close();
  }

  #updateTimer(): void {
    const timer = this.meeting?.timer;
    const compute = () => (this.remainingMs = timer ? timerRemainingMs(timer, Date.now() + this.#clockOffset) : 0);
    compute();
    if (this.#tick) clearInterval(this.#tick);
    this.#tick = timer?.endsAt != null ? setInterval(compute, 250) : null;
  }

  #showError(code: MeetingErrorCode): void {
    toasts.show({ kind: 'error', message: t(`meeting.error.${code}`), testId: 'meeting-error-toast' });
  }
}
