import type { enWorkspace } from './workspace.en.js';

/** Messages français des vues (workspace) : mêmes clés que la version anglaise. */
export const frWorkspace: Record<keyof typeof enWorkspace, string> = {};
