/** English messages of a board change the server did not keep. Keys are shared with `board-refusal.fr.ts`. */
export const enBoardRefusal = {
  'boardRefusal.readOnly.board': 'You may only read this board: your change was not kept. The board shows it as it is.',
  'boardRefusal.readOnly.internal': 'You may only read this board’s internal notes: your change was not kept. They show as they are.',
  'boardRefusal.readOnly.proposal': 'You may only read this proposal’s text: your change was not kept. It shows as it is.',
} as const;
