import type { enLanes } from './lanes.en.js';

/** Messages français : mêmes clés que `lanes.en.ts`. */
export const frLanes: Record<keyof typeof enLanes, string> = {
  'lanes.notes': 'Notes',
  'lanes.label': 'Couloirs',
  'lanes.cell': '{column}, {lane}',
};
