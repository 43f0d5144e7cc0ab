/** English messages of saml. Keys are shared with `saml.fr.ts`. */
export const enSaml = {
} as const;
