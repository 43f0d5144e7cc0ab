/** English messages of a board change the server did not keep. Keys are shared with `board-refusal.fr.ts`. */
export const enBoardRefusal = {
} as const;
