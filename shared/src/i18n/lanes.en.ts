/** English messages of swimlanes and the list of all proposals. Keys are shared with `lanes.fr.ts`. */
export const enLanes = {
} as const;
