import type { enProposalPolish } from './proposal-polish.en.js';

/** Messages français : mêmes clés que `proposal-polish.en.ts`. */
export const frProposalPolish: Record<keyof typeof enProposalPolish, string> = {
  'audit.type.template_copied': 'Modèle de projet copié',
  'audit.type.template_edited': 'Modèle de projet modifié',
  'audit.type.template_deleted': 'Modèle de projet supprimé',
  'audit.detail.template': 'modèle',
  'audit.detail.copiedFrom': 'copié de',
  'proposalPolish.paragraphBreak': ' (nouveau paragraphe) ',
  'proposalPolish.countIfAccepted': ', {count} si les suggestions sont acceptées',
};
