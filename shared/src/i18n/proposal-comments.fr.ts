import type { enProposalComments } from './proposal-comments.en.js';

/** Messages français : commentaires sur le texte d’un projet. Mêmes clés que `proposal-comments.en.ts`. */
export const frProposalComments: Record<keyof typeof enProposalComments, string> = {};
