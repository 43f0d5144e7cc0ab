/**
 * The progress of a board's proposals (sections done, over their limit, overdue, translations out
 * of date), as the list API counts it for the person, kept current by the server's
 * `proposal:progress` events while the board page follows the board. One instance per board.
 */
import type { ProposalProgress, ProposalProgressEvent } from '@passerelle/shared';
import { SvelteMap } from 'svelte/reactivity';
import { templatesApi } from '#lib/templates-api.js';
import { acquireSocket } from '#lib/workspace-events.js';

/** What the board shows of one proposal. */
export interface ProposalState {
  /** The template its sections came from; null before its document was first opened. */
  templateId: string | null;
  progress: ProposalProgress;
}

/** A card the list has not seen yet (just created) is fetched again after this pause, with any others. */
const REFRESH_DELAY_MS = 400;

export class BoardProposals {
  readonly boardId: string;
  readonly #byCard = new SvelteMap<string, ProposalState>();
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;
  /** Each fetch has a number: an answer older than the last event applied is not written over it. */
  #generation = 0;

  constructor(boardId: string) {
    this.boardId = boardId;
  }

  /** A proposal's progress; undefined until the list or an event brought it. */
  of(cardId: string): ProposalState | undefined {
    return this.#byCard.get(cardId);
  }

  /** Fetches every proposal's progress again. */
  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    const { proposals } = await templatesApi.listProposals(this.boardId);
    if (generation !== this.#generation) return;
    for (const proposal of proposals) this.#byCard.set(proposal.cardId, { templateId: proposal.templateId, progress: proposal.progress });
  }

  /** Asks for a card the list did not have (a new proposal) with the next refresh. */
  ensure(cardId: string): void {
    if (this.#byCard.has(cardId) || this.#refreshTimer) return;
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = null;
      this.refresh().catch(() => {
        // The chip stays away until the next event: nothing the person must act on.
      });
    }, REFRESH_DELAY_MS);
  }

  /** Applies the server's event about one proposal. */
  apply(event: ProposalProgressEvent): void {
    if (event.boardId !== this.boardId) return;
    this.#generation += 1;
    this.#byCard.set(event.cardId, { templateId: event.templateId, progress: event.progress });
  }

  /**
   * Fetches the progress, follows the board's events, and after a reconnection follows again and
   * fetches what changed meanwhile (events are not replayed). Returns the function that stops.
   */
  follow(): () => void {
    const { socket, release } = acquireSocket();
    const follow = () => {
      socket.emit('proposals:follow', { boardId: this.boardId }, () => {});
      this.refresh().catch(() => {});
    };
    const onEvent = (event: ProposalProgressEvent) => this.apply(event);
    socket.on('proposal:progress', onEvent);
    socket.io.on('reconnect', follow);
    follow();
    return () => {
      if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
      this.#refreshTimer = null;
      socket.emit('proposals:unfollow', { boardId: this.boardId });
      socket.off('proposal:progress', onEvent);
      socket.io.off('reconnect', follow);
      release();
    };
  }
}

const boards = new Map<string, BoardProposals>();

/** The proposals' progress of a board (the same instance for every component of the page). */
export function boardProposals(boardId: string): BoardProposals {
  let proposals = boards.get(boardId);
  if (!proposals) boards.set(boardId, (proposals = new BoardProposals(boardId)));
  return proposals;
}
