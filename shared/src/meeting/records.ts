/**
 * What a meeting leaves in the board document: the agenda (edited live by the board's editors, so
 * it is ready before the meeting and still there after it) and the revealed results of each vote.
 * The rest of a meeting (timer, presenter's view, votes before reveal, private contributions) lives
 * on the server only, for the meeting's duration.
 */
import { z } from 'zod';

/** Longest timebox of one agenda item, in minutes: a half-day workshop. */
export const MAX_TIMEBOX_MINUTES = 240;

/** An item of a board's meeting agenda, with its timebox. */
export const AgendaItem = z.object({
  title: z.string().trim().min(1, 'validation.required').max(200),
  /** Planned duration in minutes; starting the item starts the timer with it. */
  minutes: z.number().int().min(1).max(MAX_TIMEBOX_MINUTES).default(10),
  /** Fractional position among the agenda's items (see `positionAt`). */
  position: z.string().min(1),
  done: z.boolean().default(false),
});
export type AgendaItem = z.infer<typeof AgendaItem>;

/** One card's result in a revealed vote. */
export const VoteTally = z.object({
  cardId: z.string(),
  /** The card's title when the vote was revealed (the card may be renamed or deleted later). */
  cardTitle: z.string().max(300).default(''),
  votes: z.number().int().min(0),
  /** Who gave the votes, with how many each; empty for an anonymous vote. */
  voters: z.array(z.object({ id: z.string(), name: z.string().max(120), votes: z.number().int().min(1) })).default([]),
});
export type VoteTally = z.infer<typeof VoteTally>;

/** The revealed result of a dot vote, kept on the board as the record of what the meeting chose. */
export const VoteRound = z.object({
  meetingId: z.string(),
  /** What was voted on: the agenda item current at the start, or empty. */
  label: z.string().trim().max(200).default(''),
  /** Dots each participant had. */
  limit: z.number().int().min(1),
  anonymous: z.boolean(),
  /** How many people voted. */
  voterCount: z.number().int().min(0),
  /** ISO 8601. */
  revealedAt: z.string(),
  revealedBy: z.string().max(120).default(''),
  /** Cards with at least one vote, most votes first. */
  tallies: z.array(VoteTally).max(1000).default([]),
});
export type VoteRound = z.infer<typeof VoteRound>;
