/** English messages of offline editing kept across reloads. Keys are shared with `offline.fr.ts`. */
export const enOffline = {
  'offline.pending.one': '1 change waiting',
  'offline.pending.many': '{count} changes waiting',
  'offline.sending.one': 'Sending 1 change…',
  'offline.sending.many': 'Sending {count} changes…',
} as const;
