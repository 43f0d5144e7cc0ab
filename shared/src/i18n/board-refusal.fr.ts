import type { enBoardRefusal } from './board-refusal.en.js';

/** Messages français : mêmes clés que `board-refusal.en.ts`. */
export const frBoardRefusal: Record<keyof typeof enBoardRefusal, string> = {
};
