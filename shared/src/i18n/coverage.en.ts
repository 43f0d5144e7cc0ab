/** English messages of the priorities coverage view and roadmap dependencies. Keys are shared with `coverage.fr.ts`. */
export const enCoverage = {
} as const;
