import type { enMail } from './mail.en.js';

/** Messages français : mêmes clés que `mail.en.ts`. */
export const frMail: Record<keyof typeof enMail, string> = {
  'error.reset_link_invalid': 'Ce lien n’est plus valable : il a déjà servi ou date de plus d’une heure. Demandez-en un nouveau.',

  'audit.type.password_changed': 'Mot de passe changé',
  'audit.type.password_reset_requested': 'Réinitialisation du mot de passe demandée',
  'audit.type.password_reset': 'Mot de passe réinitialisé',

  'error.mail_not_configured': 'Ce serveur n’envoie pas d’e-mails : SMTP_URL et MAIL_FROM ne sont pas définis.',

  'auth.forgot.link': 'Mot de passe oublié ?',
  'auth.forgot.title': 'Réinitialiser votre mot de passe',
  'auth.forgot.intro': 'Saisissez l’adresse e-mail de votre compte : nous vous envoyons un lien pour choisir un nouveau mot de passe.',
  'auth.forgot.submit': 'Envoyer le lien',
  'auth.forgot.sent': 'Si un compte utilise {email}, un e-mail contenant un lien est en route. Le lien sert une fois, pendant une heure.',
  'auth.forgot.unavailable': 'Ce serveur n’envoie pas d’e-mails. Demandez à un administrateur de vous donner un nouveau mot de passe.',
  'auth.forgot.back': 'Retour à la connexion',
  'auth.reset.title': 'Choisir un nouveau mot de passe',
  'auth.reset.intro': 'Vos autres sessions seront déconnectées.',
  'auth.reset.submit': 'Enregistrer le nouveau mot de passe',
  'auth.reset.done': 'Votre mot de passe est changé. Connectez-vous avec lui.',
  'auth.reset.missing': 'Ce lien est incomplet. Rouvrez le lien de l’e-mail, ou demandez-en un nouveau.',
  'auth.reset.askAgain': 'Demander un nouveau lien',

  'account.title': 'Mon compte',
  'account.nav': 'Mon compte',
  'account.password.title': 'Changer mon mot de passe',
  'account.password.current': 'Mot de passe actuel',
  'account.password.new': 'Nouveau mot de passe',
  'account.password.submit': 'Changer mon mot de passe',
  'account.password.done': 'Votre mot de passe est changé. Vos autres sessions sont déconnectées.',

  'mail.footer': 'Envoyé par Passerelle, {url}',
  'mail.reset.subject': 'Réinitialisez votre mot de passe Passerelle',
  'mail.reset.greeting': 'Bonjour {name},',
  'mail.reset.body': 'Quelqu’un, sans doute vous, a demandé à réinitialiser le mot de passe de votre compte Passerelle. Pour en choisir un nouveau, ouvrez ce lien dans l’heure :',
  'mail.reset.action': 'Choisir un nouveau mot de passe',
  'mail.reset.ignore': 'Si vous n’avez rien demandé, ignorez ce message : votre mot de passe reste le même.',

  'mail.test.subject': 'Message d’essai de Passerelle',
  'mail.test.body': 'Ce message a été envoyé depuis les réglages e-mail de Passerelle par {name}. Si vous le lisez, l’envoi d’e-mails fonctionne.',

  'mailSettings.nav': 'E-mail',
  'mailSettings.title': 'E-mail',
  'mailSettings.intro': 'Chaque message est écrit dans la boîte d’envoi avant d’être envoyé ; un message que le serveur de messagerie refuse est réessayé, à intervalles croissants, pendant environ une journée.',
  'mailSettings.enabled': 'Les e-mails partent au nom de {from}.',
  'mailSettings.disabled': 'Ce serveur n’envoie pas d’e-mails : définissez SMTP_URL et MAIL_FROM puis redémarrez-le. D’ici là, les liens d’invitation sont affichés pour être copiés et les mots de passe ne peuvent pas être réinitialisés par e-mail.',
  'mailSettings.test': 'M’envoyer un message d’essai',
  'mailSettings.testSent': 'Un message d’essai est en route vers {email}. S’il n’arrive pas, il apparaîtra ci-dessous.',
  'mailSettings.failures': 'Derniers échecs',
  'mailSettings.noFailures': 'Aucun message en échec.',
  'mailSettings.column.to': 'Destinataire',
  'mailSettings.column.subject': 'Objet',
  'mailSettings.column.error': 'Dernière erreur',
  'mailSettings.column.when': 'Dernier essai',
  'mailSettings.column.next': 'Prochain essai',
  'mailSettings.givenUp': 'Abandonné après {count} essais',
};
