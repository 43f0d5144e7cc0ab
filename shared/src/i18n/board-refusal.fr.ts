import type { enBoardRefusal } from './board-refusal.en.js';

/** Messages français : mêmes clés que `board-refusal.en.ts`. */
export const frBoardRefusal: Record<keyof typeof enBoardRefusal, string> = {
  'boardRefusal.readOnly.board': 'Vous pouvez seulement consulter ce tableau : votre modification n’a pas été gardée. Le tableau s’affiche tel qu’il est.',
  'boardRefusal.readOnly.internal': 'Vous pouvez seulement consulter les notes internes de ce tableau : votre modification n’a pas été gardée. Elles s’affichent telles qu’elles sont.',
  'boardRefusal.readOnly.proposal': 'Vous pouvez seulement consulter le texte de cette proposition : votre modification n’a pas été gardée. Il s’affiche tel qu’il est.',
};
