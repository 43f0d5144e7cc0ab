import type { enKeyboard } from './keyboard.en.js';

/** Messages français : mêmes clés que `keyboard.en.ts`. */
export const frKeyboard: Record<keyof typeof enKeyboard, string> = {
};
