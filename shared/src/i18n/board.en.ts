/** English messages of the board views. Keys are shared with `board.fr.ts`. */
export const enBoard = {} as const;
