import type { enProposal } from './proposal.en.js';

/** Messages français des documents de projet et de leurs exports. Mêmes clés que `proposal.en.ts`. */
export const frProposal: Record<keyof typeof enProposal, string> = {
  'proposal.export.partners': 'Partenaires',
  'proposal.export.action': 'Action',
  'proposal.export.template': 'Modèle',
  'proposal.export.stage': 'Étape',
  'proposal.export.date': 'Date',
  'proposal.export.language': 'Langue',
  'proposal.export.internal': 'Section interne : ne pas transmettre aux partenaires',
  'proposal.export.empty': 'Pas encore rédigée.',
  'proposal.export.characters': '{count} caractères',
  'proposal.export.charactersOfLimit': '{count} caractères sur {limit}',
  'proposal.export.overLimit': 'dépassement de {over}',
  'proposal.export.page': 'Page {page}',
  'proposal.export.noPartner': 'Aucun pour l’instant',
  'proposal.export.badFormat': 'Choisissez le format d’export : docx (Word) ou pdf.',
  'proposal.export.badLanguage': 'Choisissez la langue de l’export : fr ou en.',
  'proposal.comment.badAnchor': 'Le commentaire doit porter sur des mots du texte de la section dans cette langue.',
};
