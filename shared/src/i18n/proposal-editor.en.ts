/** English messages of the proposal editor page. Keys are shared with `proposal-editor.fr.ts`. */
export const enProposalEditor = {} as const;
