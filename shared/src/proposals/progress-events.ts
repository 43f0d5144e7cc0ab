/**
 * A board's proposals' progress, live over socket.io: a board page follows the board
 * (`proposals:follow`), and after a proposal's documents change the server sends its new progress
 * (`proposal:progress`) to everyone following, counted as the list API counts it for them (partner
 * guests: the shared sections only).
 */
import { z } from 'zod';
import type { ProposalProgress } from '../documents/proposal.js';
import { isId } from '../ids.js';

/** `proposals:follow` and `proposals:unfollow`: the board whose proposals' progress the page shows. */
export const ProposalFollow = z.object({ boardId: z.string().refine(isId, 'not a board id') });
export type ProposalFollow = z.infer<typeof ProposalFollow>;

/** `proposal:progress`: one proposal's progress after its documents changed. */
export interface ProposalProgressEvent {
  boardId: string;
  cardId: string;
  /** The template its sections came from; null before its document was first opened. */
  templateId: string | null;
  progress: ProposalProgress;
}

/** The answer to `proposals:follow`: refused alike when the board does not exist or the person may not see it. */
export type ProposalFollowReply = { ok: true } | { ok: false; error: 'invalid_request' | 'not_found' };

/** What the server sends about proposals' progress (part of `ServerToClientEvents`). */
export interface ProposalProgressServerEvents {
  'proposal:progress': (event: ProposalProgressEvent) => void;
}

/** What a board page sends to follow its proposals' progress (part of `ClientToServerEvents`). */
export interface ProposalProgressClientEvents {
  'proposals:follow': (message: ProposalFollow, ack: (reply: ProposalFollowReply) => void) => void;
  'proposals:unfollow': (message: ProposalFollow) => void;
}
