import type { enPolish } from './polish.en.js';

/** Messages français : mêmes clés que `polish.en.ts`. */
export const frPolish: Record<keyof typeof enPolish, string> = {
  'polish.calendar.label': 'Choisir une date',
  'polish.calendar.previous': 'Mois précédent',
  'polish.waiting.short': '{count} en attente',
  'polish.waiting.sending': 'Envoi de {count}…',
  'polish.calendar.next': 'Mois suivant',
};
