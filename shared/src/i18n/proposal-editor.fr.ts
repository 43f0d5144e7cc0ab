import type { enProposalEditor } from './proposal-editor.en.js';

/** Messages français : la page d’édition du projet. Mêmes clés que `proposal-editor.en.ts`. */
export const frProposalEditor: Record<keyof typeof enProposalEditor, string> = {};
