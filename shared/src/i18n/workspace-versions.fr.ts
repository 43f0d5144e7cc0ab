import type { enWorkspaceVersions } from './workspace-versions.en.js';

/** Messages français : mêmes clés que `workspace-versions.en.ts`. */
export const frWorkspaceVersions: Record<keyof typeof enWorkspaceVersions, string> = {
};
