import type { enSearch } from './search.en.js';

/** Messages français : mêmes clés que `search.en.ts`. */
export const frSearch: Record<keyof typeof enSearch, string> = {
  'search.kind.comment': 'Commentaire',
  'search.kind.section': 'Texte de la proposition',
  'search.kind.proposalComment': 'Commentaire sur le texte',
  'search.kind.internal': 'Notes internes',
  'search.commentBy': 'Commentaire ({name})',
  'search.boardNotes': 'Notes internes du tableau',
};
