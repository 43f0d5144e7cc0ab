/** English messages of proposal suggestions, limits, template audit and archives. Keys are shared with `proposal-polish.fr.ts`. */
export const enProposalPolish = {
  'proposalPolish.countIfAccepted': ', {count} if the suggestions are accepted',
} as const;
