import type { enBoard } from './board.en.js';

/** Messages français des vues (board) : mêmes clés que la version anglaise. */
export const frBoard: Record<keyof typeof enBoard, string> = {};
