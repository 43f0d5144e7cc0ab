import type { enProposalPolish } from './proposal-polish.en.js';

/** Messages français : mêmes clés que `proposal-polish.en.ts`. */
export const frProposalPolish: Record<keyof typeof enProposalPolish, string> = {
  'audit.type.template_copied': 'Modèle de proposition copié',
  'audit.type.template_edited': 'Modèle de proposition modifié',
  'audit.type.template_deleted': 'Modèle de proposition supprimé',
  'audit.detail.template': 'modèle',
  'audit.detail.copiedFrom': 'copié de',
  'proposalPolish.countIfAccepted': ', {count} si les suggestions sont acceptées',
};
