/** English messages of search across the workspace. Keys are shared with `search.fr.ts`. */
export const enSearch = {
  'search.kind.comment': 'Comment',
  'search.kind.section': 'Proposal text',
  'search.kind.proposalComment': 'Comment on the text',
  'search.kind.internal': 'Internal notes',
  'search.commentBy': 'Comment by {name}',
  'search.boardNotes': 'The board’s internal notes',
} as const;
