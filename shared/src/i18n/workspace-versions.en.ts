/** English messages for this part; the French catalog (`workspace-versions.fr.ts`) has the same keys. */
export const enWorkspaceVersions = {
} as const;
