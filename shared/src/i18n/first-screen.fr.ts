import type { enFirstScreen } from './first-screen.en.js';

/** Messages français : mêmes clés que `first-screen.en.ts`. */
export const frFirstScreen: Record<keyof typeof enFirstScreen, string> = {
};
