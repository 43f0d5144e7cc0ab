import type { enRecords } from './records.en.js';

/** Messages français : mêmes clés que `records.en.ts`. */
export const frRecords: Record<keyof typeof enRecords, string> = {
  'audit.type.record_created': 'Fiche de l’espace créée',
  'audit.type.record_changed': 'Fiche de l’espace modifiée',
  'audit.type.record_deleted': 'Fiche de l’espace supprimée',
  'audit.type.record_change_refused': 'Modification d’une fiche refusée',
  'audit.type.agreements_manager_changed': 'Gestion des accords changée',
};
