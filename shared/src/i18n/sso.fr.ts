import type { enSso } from './sso.en.js';

/** Messages français : mêmes clés que `sso.en.ts`. */
export const frSso: Record<keyof typeof enSso, string> = {
  'error.sso_required': 'Cet espace de travail se connecte par authentification unique : utilisez le bouton « Se connecter avec… » de la page de connexion plutôt qu’un mot de passe.',
  'sso.signInWith': 'Se connecter avec {provider}',
  'sso.orPassword': 'ou avec un mot de passe',
  'sso.passwordBreakGlass': 'Les mots de passe sont réservés à l’administrateur de secours.',
  'sso.signedOut': 'Vous êtes déconnecté de Passerelle.',
  'sso.endSession': 'Fermer aussi votre session sur {provider}',
  'sso.refused.state': 'Ce lien de connexion a expiré ou a déjà servi. Recommencez avec le bouton ci-dessous.',
  'sso.refused.failed': 'La réponse de votre fournisseur d’identité n’a pas pu être vérifiée. Recommencez ; si cela se reproduit, prévenez votre administrateur.',
  'sso.refused.unavailable': 'Votre fournisseur d’identité est injoignable pour le moment. Réessayez dans un instant.',
  'sso.refused.no_email': 'Votre fournisseur d’identité n’a pas transmis d’adresse e-mail vérifiée, dont Passerelle a besoin pour trouver votre compte.',
  'sso.refused.no_group': 'Votre compte n’appartient à aucun groupe donnant accès à Passerelle. Demandez à votre administrateur de vous y ajouter.',
  'sso.refused.deactivated': 'Votre compte Passerelle est désactivé. Demandez à un administrateur de le réactiver.',
};
