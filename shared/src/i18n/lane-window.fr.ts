import type { enLaneWindow } from './lane-window.en.js';

/** Messages français : mêmes clés que `lane-window.en.ts`. */
export const frLaneWindow: Record<keyof typeof enLaneWindow, string> = {
};
