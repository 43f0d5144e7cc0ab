import type { enProposalComments } from './proposal-comments.en.js';

/** Messages français : commentaires sur le texte d’un projet. Mêmes clés que `proposal-comments.en.ts`. */
export const frProposalComments: Record<keyof typeof enProposalComments, string> = {
  'proposalComments.heading': 'Commentaires',
  'proposalComments.empty': 'Aucun commentaire sur ce texte pour l’instant.',
  'proposalComments.empty.hint': 'Sélectionnez des mots du texte, puis choisissez Commenter.',
  'proposalComments.readOnly': 'Vous pouvez lire les commentaires de ce texte, pas en ajouter.',
  'proposalComments.new.heading': 'Nouveau commentaire',
  'proposalComments.new.placeholder': 'Écrire un commentaire (Ctrl+Entrée pour publier)',
  'proposalComments.new.submit': 'Commenter',
  'proposalComments.quote': 'Texte commenté',
  'proposalComments.showInText': 'Voir dans le texte',
  'proposalComments.textDeleted': 'Texte supprimé',
  'proposalComments.textDeleted.hint': 'Les mots que ce commentaire concerne ne sont plus dans le texte.',
  'proposalComments.replies': 'Réponses',
  'proposalComments.reply': 'Répondre',
  'proposalComments.reply.placeholder': 'Écrire une réponse (Ctrl+Entrée pour publier)',
  'proposalComments.resolve': 'Résoudre',
  'proposalComments.reopen': 'Rouvrir',
  'proposalComments.resolvedBy': 'Résolu par {name}, {date}',
  'proposalComments.delete': 'Supprimer',
  'proposalComments.delete.title': 'Supprimer ce commentaire ?',
  'proposalComments.delete.message': 'Le commentaire et ses réponses seront supprimés pour tout le monde.',
  'proposalComments.resolved.show': 'Afficher les commentaires résolus ({count})',
  'proposalComments.resolved.hide': 'Masquer les commentaires résolus',
  'proposalComments.resolved.list': 'Commentaires résolus',
  'proposalComments.error.anchorGone': 'Les mots sélectionnés ne sont plus dans le texte : sélectionnez-les de nouveau.',
};
