import type { enSuggestions } from './suggestions.en.js';

/** Messages français : suggestions (mode suggestion) dans les documents de projet. Mêmes clés que `suggestions.en.ts`. */
export const frSuggestions: Record<keyof typeof enSuggestions, string> = {
  'suggestions.bar': 'Suggestions',
  'suggestions.mode': 'Mode suggestion',
  'suggestions.mode.hint': 'Ce que vous saisissez et supprimez apparaît comme des suggestions, qu’une personne pouvant modifier accepte ou refuse.',
  'suggestions.mode.forced': 'Vos modifications sont des suggestions : une personne pouvant modifier ou le responsable de la section les accepte ou les refuse.',
  'suggestions.count': 'Suggestions en attente : {count}',
  'suggestions.review': 'Examiner',
  'suggestions.review.close': 'Fermer',
  'suggestions.list': 'Suggestions en attente dans cette section',
  'suggestions.none': 'Aucune suggestion en attente dans cette section.',
  'suggestions.kind.insertion': 'Ajoute',
  'suggestions.kind.deletion': 'Supprime',
  'suggestions.kind.replacement': 'Remplace',
  'suggestions.replacement.with': 'par',
  'suggestions.by': '{name}, {at}',
  'suggestions.accept': 'Accepter',
  'suggestions.reject': 'Refuser',
  'suggestions.withdraw': 'Retirer',
  'suggestions.accept.label': 'Accepter la suggestion proposée par {name}',
  'suggestions.reject.label': 'Refuser la suggestion proposée par {name}',
  'suggestions.withdraw.label': 'Retirer votre suggestion',
  'suggestions.acceptAll': 'Tout accepter',
  'suggestions.rejectAll': 'Tout refuser',
};
