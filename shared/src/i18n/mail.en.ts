/** English messages of e-mail, passwords and notification preferences. Keys are shared with `mail.fr.ts`. */
export const enMail = {
} as const;
