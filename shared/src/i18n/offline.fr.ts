import type { enOffline } from './offline.en.js';

/** Messages français : mêmes clés que `offline.en.ts`. */
export const frOffline: Record<keyof typeof enOffline, string> = {
  'offline.pending.one': '1 modification en attente',
  'offline.pending.many': '{count} modifications en attente',
  'offline.sending.one': 'Envoi d’1 modification…',
  'offline.sending.many': 'Envoi de {count} modifications…',
};
