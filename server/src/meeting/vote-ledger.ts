import { VoteTally, type VotingState } from '@passerelle/shared';
import { z } from 'zod';

/** Why a dot was refused. */
export type VoteRefusal = 'vote_limit' | 'not_found';

/**
 * A voting round as a meeting state store keeps it (JSON). Ballots are a flat list rather than
 * objects keyed by voter and card id: ids come from clients, and a key such as `__proto__` must
 * stay data. Checked on every read, since what comes back from storage is an edge too.
 */
export const VoteLedgerRecord = z.object({
  roundId: z.string().min(1),
  limit: z.number().int().min(1),
  maxPerCard: z.number().int().min(1),
  anonymous: z.boolean(),
  label: z.string(),
  status: z.enum(['open', 'revealed']),
  results: z.array(VoteTally).nullable(),
  /** One entry per voter and card with at least one dot. */
  ballots: z.array(z.object({ voterId: z.string().min(1), voterName: z.string(), cardId: z.string().min(1), dots: z.number().int().min(1) })),
});
export type VoteLedgerRecord = z.infer<typeof VoteLedgerRecord>;

/**
 * The dots of one voting round, held on the server only. Nobody but the voter learns where their
 * dots are before the reveal: `publicState` gives counts, `personal` gives one voter their own.
 */
export class VoteLedger {
  readonly roundId: string;
  readonly limit: number;
  readonly maxPerCard: number;
  readonly anonymous: boolean;
  readonly label: string;
  status: 'open' | 'revealed' = 'open';
  /** Filled on reveal. */
  results: VoteTally[] | null = null;
  /** voter id → card id → dots. */
  readonly #dots = new Map<string, Map<string, number>>();
  readonly #names = new Map<string, string>();

  constructor(options: { roundId: string; limit: number; maxPerCard?: number; anonymous: boolean; label: string }) {
    this.roundId = options.roundId;
    this.limit = options.limit;
    this.maxPerCard = Math.min(options.maxPerCard ?? options.limit, options.limit);
    this.anonymous = options.anonymous;
    this.label = options.label;
  }

  /** Adds (1) or takes back (-1) one dot; null when done, or why not. */
  cast(voter: { id: string; name: string }, cardId: string, delta: 1 | -1): VoteRefusal | null {
    const dots = this.#dots.get(voter.id) ?? new Map<string, number>();
    const onCard = dots.get(cardId) ?? 0;
    if (delta === 1) {
      if (this.remaining(voter.id) <= 0 || onCard >= this.maxPerCard) return 'vote_limit';
    } else if (onCard === 0) {
      return 'not_found';
    }
    const next = onCard + delta;
    if (next === 0) dots.delete(cardId);
    else dots.set(cardId, next);
    if (dots.size === 0) this.#dots.delete(voter.id);
    else this.#dots.set(voter.id, dots);
    this.#names.set(voter.id, voter.name);
    return null;
  }

  /** Dots a voter has left. */
  remaining(voterId: string): number {
    let used = 0;
    for (const count of this.#dots.get(voterId)?.values() ?? []) used += count;
    return this.limit - used;
  }

  /** A voter's dots by card id. */
  votesOf(voterId: string): Record<string, number> {
    return Object.fromEntries(this.#dots.get(voterId) ?? []);
  }

  /** The ids of everyone who gave at least one dot. */
  get voterIds(): string[] {
    return [...this.#dots.keys()];
  }

  /**
   * The round's result: cards with dots, most first (ties by card id, so every replica agrees).
   * `titleOf` names cards, and says undefined for a card deleted since: its dots are dropped.
   */
  tally(titleOf: (cardId: string) => string | undefined): VoteTally[] {
    const byCard = new Map<string, VoteTally>();
    for (const [voterId, dots] of this.#dots) {
      for (const [cardId, votes] of dots) {
        const cardTitle = titleOf(cardId);
        if (cardTitle === undefined) continue;
        const tally = byCard.get(cardId) ?? { cardId, cardTitle, votes: 0, voters: [] };
        tally.votes += votes;
        if (!this.anonymous) tally.voters.push({ id: voterId, name: this.#names.get(voterId) ?? '', votes });
        byCard.set(cardId, tally);
      }
    }
    const tallies = [...byCard.values()];
    for (const tally of tallies) tally.voters.sort((a, b) => b.votes - a.votes || a.name.localeCompare(b.name));
    return tallies.sort((a, b) => b.votes - a.votes || a.cardId.localeCompare(b.cardId));
  }

  /** The round as plain data, for a meeting state store; `fromRecord` gives back an equal ledger. */
  toRecord(): VoteLedgerRecord {
    const ballots: VoteLedgerRecord['ballots'] = [];
    for (const [voterId, dots] of this.#dots) {
      for (const [cardId, count] of dots) ballots.push({ voterId, voterName: this.#names.get(voterId) ?? '', cardId, dots: count });
    }
    const { roundId, limit, maxPerCard, anonymous, label, status, results } = this;
    return { roundId, limit, maxPerCard, anonymous, label, status, results, ballots };
  }

  /** A ledger from a validated record. */
  static fromRecord(record: VoteLedgerRecord): VoteLedger {
    const ledger = new VoteLedger(record);
    ledger.status = record.status;
    ledger.results = record.results;
    for (const { voterId, voterName, cardId, dots } of record.ballots) {
      const byCard = ledger.#dots.get(voterId) ?? new Map<string, number>();
      byCard.set(cardId, dots);
      ledger.#dots.set(voterId, byCard);
      ledger.#names.set(voterId, voterName);
    }
    return ledger;
  }

  /** What everyone may see: counts before the reveal, the results after. */
  publicState(): VotingState {
    let votesCast = 0;
    for (const dots of this.#dots.values()) for (const count of dots.values()) votesCast += count;
    return {
      roundId: this.roundId,
      label: this.label,
      limit: this.limit,
      maxPerCard: this.maxPerCard,
      anonymous: this.anonymous,
      status: this.status,
      voterCount: this.#dots.size,
      votesCast,
      results: this.status === 'revealed' ? this.results : null,
    };
  }
}
