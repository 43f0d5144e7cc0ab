import type { enEwp } from './ewp.en.js';

/** Messages français : mêmes clés que `ewp.en.ts`. */
export const frEwp: Record<keyof typeof enEwp, string> = {
  'validation.ounitId': 'Un identifiant de composante compte de 1 à 64 caractères imprimables, sans espace.',
  'validation.iiaId': 'Un identifiant d’accord compte de 1 à 64 caractères imprimables, sans espace.',

  'ewp.missing.title': 'Ce qui manque encore pour que le partenaire puisse l’approuver dans EWP',
  'ewp.missing.none': 'Rien ne manque : l’accord peut être approuvé dans EWP.',
  'ewp.missing.ourSchac': 'Le code SCHAC de notre établissement (paramètres de l’espace)',
  'ewp.missing.partner': 'L’établissement partenaire',
  'ewp.missing.partnerSchac': 'Le code SCHAC du partenaire (sur sa fiche)',
  'ewp.missing.partnerIiaId': 'L’identifiant de cet accord chez le partenaire',
  'ewp.missing.ourIiaCode': 'Notre numéro d’accord',
  'ewp.missing.conditions': 'Au moins une condition de coopération',
  'ewp.missing.years': 'Condition {condition} : la première et la dernière année universitaire',
  'ewp.missing.mobilities': 'Condition {condition} : le nombre de mobilités par an',
  'ewp.missing.total': 'Condition {condition} : le total de mois ou de jours par an',
  'ewp.missing.languageSkill': 'Condition {condition} : une compétence linguistique recommandée',
  'ewp.missing.subjectArea': 'Condition {condition} : un domaine d’études (code CITE-F)',
  'ewp.missing.eqf': 'Condition {condition} : les niveaux CEC',
  'ewp.missing.terminatedNotApproved': 'Seul un accord approuvé des deux côtés peut être résilié dans son ensemble',

  'ewp.import.empty': 'Le fichier est vide.',
  'ewp.import.tooLarge': 'Le fichier est trop volumineux pour un accord (512 Ko au plus).',
  'ewp.import.malformed': 'Le fichier n’est pas un XML bien formé (ligne {line}).',
  'ewp.import.doctype': 'Le fichier déclare un type de document, ce que ne fait jamais un accord EWP : il n’a pas été lu.',
  'ewp.import.notIia': 'Le fichier n’est pas une réponse « get » IIA d’EWP (son élément racine est « {root} »).',
  'ewp.import.noIia': 'Le fichier ne contient aucun accord.',
  'ewp.import.severalIias': 'Le fichier contient {count} accords et aucun ne désigne celui-ci.',
  'ewp.import.badValue': '{field} : {problem}',
} as const;
