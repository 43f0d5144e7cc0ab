import type { enTemplates } from './templates.en.js';

/** Messages français : modèles de projet et leur administration, et avancement des projets sur le tableau. Mêmes clés que `templates.en.ts`. */
export const frTemplates: Record<keyof typeof enTemplates, string> = {};
