/** English messages of keyboard moves and side panels. Keys are shared with `keyboard.fr.ts`. */
export const enKeyboard = {
} as const;
