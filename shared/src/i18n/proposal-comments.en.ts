/** English messages of comments on a proposal's text. Keys are shared with `proposal-comments.fr.ts`. */
export const enProposalComments = {} as const;
