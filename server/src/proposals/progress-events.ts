/**
 * Proposals' progress, live on the board: a board page follows its board (`proposals:follow`), and a
 * second after someone changed a proposal's documents every follower gets its new progress
 * (`proposal:progress`), counted for them: partner guests the shared sections only, members all.
 * A change keeps at most one send per proposal pending, so typing sends about one event a second.
 */
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import { BoardDoc, ProposalFollow, type ClientToServerEvents, type ProposalProgressEvent, type ServerToClientEvents } from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import type { Principal } from '../auth/auth-service.js';
import type { BoardChange } from '../documents/index.js';
import { progressDay, proposalProgress, type ProgressSources } from './progress.js';

type ProgressServer = Server<ClientToServerEvents, ServerToClientEvents, any, any>;
type ProgressSocket = Socket<ClientToServerEvents, ServerToClientEvents, any, any>;

/** What the progress events are built from. */
export interface ProgressEventsOptions {
  io: ProgressServer;
  access: BoardAccess;
  sources: ProgressSources;
  logger: Logger;
  /** How long after a change its progress is sent (default 1 s): changes meanwhile are sent with it. */
  delayMs?: number;
}

/** The progress events as the sync server and the app's shutdown use them. */
export interface ProgressEvents {
  /** Called after each change to a proposal's documents (`DocumentEvents.onProposalChange`). */
  onProposalChange(change: { boardId: string; cardId: string }): void;
  /** Called after each change to a board's documents: a card that became a proposal or changed template counts other sections. */
  onBoardChange(change: BoardChange): void;
  /** Stops the sends still pending (the server is closing). */
  close(): void;
}

/** The socket.io room of the pages following a board's proposals. */
export function progressRoom(boardId: string): string {
  return `proposals:${boardId}`;
}

/** Starts answering `proposals:follow` and sending proposals' progress to the pages that follow their board. */
export function createProgressEvents(options: ProgressEventsOptions): ProgressEvents {
  const { io, access, sources, logger } = options;
  const delayMs = options.delayMs ?? 1000;
  const pending = new Map<string, NodeJS.Timeout>();

  io.on('connection', (socket: ProgressSocket) => {
    socket.on('proposals:follow', (message, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const parsed = ProposalFollow.safeParse(message);
      if (!parsed.success) {
        reply({ ok: false, error: 'invalid_request' });
        return;
      }
      const principal = socket.data.principal as Principal;
      access
        .roleOf(principal, parsed.data.boardId)
        .then(async (role) => {
          // A board someone may not see is refused like one that does not exist.
          if (role === null) return reply({ ok: false, error: 'not_found' });
          await socket.join(progressRoom(parsed.data.boardId));
          reply({ ok: true });
        })
        .catch((error: unknown) => {
          logger.error({ err: error }, 'following a board’s proposals failed');
          reply({ ok: false, error: 'not_found' });
        });
    });
    socket.on('proposals:unfollow', (message) => {
      const parsed = ProposalFollow.safeParse(message);
      if (parsed.success) void socket.leave(progressRoom(parsed.data.boardId));
    });
  });

  /** Sends one proposal's progress to each follower who may still see its board, counted for them. */
  async function send(boardId: string, cardId: string): Promise<void> {
    const followers = await io.in(progressRoom(boardId)).fetchSockets();
    if (followers.length === 0) return;
    const card = await sources.read(boardId, (doc) => {
      const proposal = new BoardDoc(doc).getProposal(cardId);
      return proposal ? { actionType: proposal.actionType, templateId: proposal.templateId } : null;
    });
    if (!card) return;
    const today = progressDay();
    const counted = new Map<boolean, Promise<ProposalProgressEvent>>();
    const eventFor = (includeInternal: boolean) => {
      let event = counted.get(includeInternal);
      if (!event) {
        event = proposalProgress(sources, { boardId, cardId, card, includeInternal, today }).then((progress) => ({ boardId, cardId, ...progress }));
        counted.set(includeInternal, event);
      }
      return event;
    };
    for (const follower of followers) {
      const principal = follower.data.principal as Principal | undefined;
      // Access may have ended since the page followed the board: such a page stops following.
      const role = principal ? await access.roleOf(principal, boardId) : null;
      if (role === null || !principal) {
        follower.leave(progressRoom(boardId));
        continue;
      }
      follower.emit('proposal:progress', await eventFor(principal.kind === 'member'));
    }
  }

  /** Sends a proposal's progress after the delay, unless a send is already pending. */
  function schedule(boardId: string, cardId: string): void {
    const key = `${boardId}/${cardId}`;
    if (pending.has(key)) return;
    const timer = setTimeout(() => {
      pending.delete(key);
      send(boardId, cardId).catch((error: unknown) => logger.error({ err: error, boardId, cardId }, 'a proposal’s progress could not be sent'));
    }, delayMs);
    timer.unref();
    pending.set(key, timer);
  }

  /** The card fields a proposal's progress depends on before its document is opened. */
  const TEMPLATE_KEYS = ['kind', 'actionType', 'templateId'];

  return {
    onBoardChange({ boardId, document, doc, transaction }) {
      if (document !== 'board') return;
      new BoardDoc(doc).cards.forEach((card, cardId) => {
        const keys = transaction.changed.get(card as unknown as Parameters<typeof transaction.changed.get>[0]);
        if (keys && TEMPLATE_KEYS.some((key) => keys.has(key)) && card.get('kind') === 'proposal') schedule(boardId, cardId);
      });
    },
    onProposalChange: ({ boardId, cardId }) => schedule(boardId, cardId),
    close() {
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    },
  };
}
