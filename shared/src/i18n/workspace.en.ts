/** English messages of the workspace views. Keys are shared with `workspace.fr.ts`. */
export const enWorkspace = {} as const;
