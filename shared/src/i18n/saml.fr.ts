import type { enSaml } from './saml.en.js';

/** Messages français : mêmes clés que `saml.en.ts`. */
export const frSaml: Record<keyof typeof enSaml, string> = {
};
