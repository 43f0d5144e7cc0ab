import type { enInternal } from './internal.en.js';

/** Messages français du contenu interne d’un tableau (jamais montré aux invités partenaires). */
export const frInternal: Record<keyof typeof enInternal, string> = {
  'internal.label': 'Interne — non partagé avec les partenaires',
  'internal.hint': 'Seuls les membres de l’école voient ceci : les partenaires invités sur le tableau ne le reçoivent jamais.',
  'internal.loading': 'Chargement du contenu interne…',
  'internal.unavailable': 'Le contenu interne ne peut pas être ouvert : vous n’y avez peut-être pas accès.',
  'internal.notes': 'Notes internes',
  'internal.notes.placeholder': 'Points de négociation, hypothèses budgétaires, contacts chez le partenaire…',
  'internal.discussion': 'Discussion des visas',
  'internal.discussion.hint': 'Questions et réponses entre les services qui donnent leur visa.',
  'internal.discussion.empty': 'Aucun message pour l’instant.',
  'internal.discussion.placeholder': 'Écrire aux services qui donnent leur visa (Ctrl+Entrée pour publier)',
  'internal.discussion.add': 'Publier',
  'internal.discussion.delete': 'Supprimer',
  'internal.board.open': 'Notes internes',
  'internal.board.openHint': 'Les notes internes de l’école sur ce tableau (non partagées avec les partenaires)',
  'internal.board.title': 'Notes internes du tableau',
  'internal.board.placeholder': 'Pour l’équipe de l’école : enveloppe budgétaire globale, priorités, points de vigilance avec les partenaires…',
  'internal.board.close': 'Fermer les notes internes',
};
