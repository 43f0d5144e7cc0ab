/** English messages of swimlanes and the list of all proposals. Keys are shared with `lanes.fr.ts`. */
export const enLanes = {
  'lanes.notes': 'Notes',
  'lanes.label': 'Lanes',
  'lanes.cell': '{column}, {lane}',
} as const;
