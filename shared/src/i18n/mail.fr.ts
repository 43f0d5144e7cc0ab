import type { enMail } from './mail.en.js';

/** Messages français : mêmes clés que `mail.en.ts`. */
export const frMail: Record<keyof typeof enMail, string> = {
};
