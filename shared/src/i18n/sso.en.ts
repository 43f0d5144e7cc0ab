/** English messages of single sign-on. Keys are shared with `sso.fr.ts`. */
export const enSso = {
} as const;
