/** English messages of proposal templates and their administration, and proposal progress on the board. Keys are shared with `templates.fr.ts`. */
export const enTemplates = {} as const;
