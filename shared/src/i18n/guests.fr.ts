import type { enGuests } from './guests.en.js';

/** Messages français : mêmes clés que `guests.en.ts`. */
export const frGuests: Record<keyof typeof enGuests, string> = {
  'guests.settings.contentLanguage.title': 'Langue des tableaux',
  'guests.settings.contentLanguage.label': 'Les tableaux sont rédigés en',
  'guests.settings.contentLanguage.hint':
    'Ce que Passerelle écrit lui-même sur un tableau, comme la colonne « Décisions » d’une réunion et « Réunion du … », est dans cette langue, quelle que soit la langue de l’interface de chacun.',
};
