/** The views of one board, in their tabs' order; `?view=` picks one. */
export const BOARD_VIEWS = ['board', 'pipeline', 'roadmap', 'actions', 'priorities'] as const;
export type BoardView = (typeof BOARD_VIEWS)[number];
