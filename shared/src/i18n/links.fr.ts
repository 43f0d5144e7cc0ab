import type { enLinks } from './links.en.js';

/** Messages français : mêmes clés que `links.en.ts`. */
export const frLinks: Record<keyof typeof enLinks, string> = {
  'links.copy': 'Copier le lien',
  'links.copy.title': 'Copier un lien qui ouvre cet élément, à coller dans un e-mail',
  'links.copied': 'Lien copié : collez-le dans un e-mail ou un message.',
  'links.copyFailed': 'Copiez ce lien à la main : {url}',
  'links.card.notFound': 'Ce lien mène à une carte qui n’est pas sur ce tableau : elle a peut-être été supprimée, ou le lien est incomplet.',
  'links.partner.notFound': 'Ce lien mène à un partenaire absent de l’espace de travail : il a peut-être été supprimé, ou le lien est incomplet.',
  'links.agreement.notFound': 'Ce lien mène à un accord absent de l’espace de travail : il a peut-être été supprimé, ou le lien est incomplet.',
  'links.notFound.hint': 'Le lien est peut-être mal recopié ou incomplet, ou ce vers quoi il mène a été supprimé.',
  'links.dismiss': 'Fermer ce message',

  'welcome.title': 'Bienvenue dans Passerelle',
  'welcome.intro': 'Cet espace de travail commence avec une démonstration tirée de la déclaration de politique Erasmus de l’école. Parcourez-la, modifiez-la, ou supprimez-la quand vous le souhaitez :',
  'welcome.boards': 'Tableaux',
  'welcome.boards.text': 'le tableau « {board} » présente les trois axes de coopération dans l’ordre, leurs propositions avec les visas, une feuille de route et des actions.',
  'welcome.partners': 'Partenaires',
  'welcome.partners.text': 'des universités, un laboratoire de recherche et des entreprises dans les différentes régions du monde, avec leurs accords et leurs quotas.',
  'welcome.mobility': 'Mobilité',
  'welcome.mobility.text': 'les mobilités d’études, de stage et des personnels des deux dernières années, les prévisions et les objectifs des suivantes.',
  'welcome.dismiss': 'J’ai compris',

  'date.input.label': '{label} ({pattern})',
  'date.input.invalid': 'Saisissez une date au format {pattern}.',
  'date.input.calendar': 'Choisir une date dans un calendrier',
  'date.pattern.day': 'jj',
  'date.pattern.month': 'mm',
  'date.pattern.year': 'aaaa',
} as const;
