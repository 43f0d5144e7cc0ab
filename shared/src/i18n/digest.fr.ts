import type { enDigest } from './digest.en.js';

/** Messages français : mêmes clés que `digest.en.ts`. */
export const frDigest: Record<keyof typeof enDigest, string> = {
  'sso.refused.account_linked': 'Le compte Passerelle de cette adresse e-mail appartient à une autre identité chez votre fournisseur. Adressez-vous à un administrateur.',
  'invite.mailLanguage': 'Langue de l’e-mail',
  'invite.mailLanguage.fr': 'Français',
  'invite.mailLanguage.en': 'English',
  'mailPrefs.digest': 'Dans le récapitulatif du jour',
  'mailPrefs.kind.reminder': 'Avant une de mes échéances',
  'unsubscribe.kind.reminder': 'de rappel avant vos échéances',
  'unsubscribe.kind.digest': 'de récapitulatif quotidien',
  'mail.unsubscribe.reminder': 'Ne plus recevoir de rappel avant mes échéances',
  'mail.unsubscribe.digest': 'Ne plus recevoir le récapitulatif du jour',

  'mail.reminder.subject': 'Rappel : « {title} » arrive à échéance le {date}',
  'mail.reminder.roadmapSubject': 'Rappel : « {title} » se termine le {date}',
  'mail.reminder.action': 'L’action « {title} » du tableau {board} arrive à échéance le {date}.',
  'mail.reminder.roadmap': 'L’étape de feuille de route « {title} » du tableau {board} se termine le {date}.',
  'mail.reminder.section': 'La section « {title} » de la proposition « {proposal} », dans le tableau {board}, est attendue pour le {date}.',

  'mail.digest.subject': 'Votre récapitulatif Passerelle du {date}',
  'mail.digest.greeting': 'Bonjour {name},',
  'mail.digest.intro': 'Voici ce qui demandait votre attention depuis votre dernier récapitulatif.',
  'mail.digest.section.mention': 'Mentions',
  'mail.digest.section.assignment': 'Actions qui vous sont confiées',
  'mail.digest.section.sign_off_request': 'Validations demandées à votre service',
  'mail.digest.section.reminder': 'Échéances proches',
  'mail.digest.more': 'Et {count} de plus dans Passerelle.',
  'mail.digest.open': 'Ouvrir Passerelle',
};
