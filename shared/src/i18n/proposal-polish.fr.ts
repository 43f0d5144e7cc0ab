import type { enProposalPolish } from './proposal-polish.en.js';

/** Messages français : mêmes clés que `proposal-polish.en.ts`. */
export const frProposalPolish: Record<keyof typeof enProposalPolish, string> = {
  'proposalPolish.countIfAccepted': ', {count} si les suggestions sont acceptées',
};
