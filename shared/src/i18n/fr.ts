import { frAccess } from './access.fr.js';
import { frBoard } from './board.fr.js';
import { frCollab } from './collab.fr.js';
import { frMeeting } from './meeting.fr.js';
import { frDomain } from './domain.fr.js';
import type { MessageKey } from './en.js';
import { frInternal } from './internal.fr.js';
import { frPeople } from './people.fr.js';
import { frWorkspace } from './workspace.fr.js';
import { frVersions } from './versions.fr.js';
import { frProposal } from './proposal.fr.js';
import { frSuggestions } from './suggestions.fr.js';
import { frProposalComments } from './proposal-comments.fr.js';
import { frTemplates } from './templates.fr.js';
import { frProposalEditor } from './proposal-editor.fr.js';
import { frOffline } from './offline.fr.js';
import { frLinks } from './links.fr.js';
import { frSearch } from './search.fr.js';
import { frKeyboard } from './keyboard.fr.js';
import { frGuests } from './guests.fr.js';
import { frLayout } from './layout.fr.js';
import { frSso } from './sso.fr.js';
import { frCalendar } from './calendar.fr.js';
import { frMail } from './mail.fr.js';
import { frProposalPolish } from './proposal-polish.fr.js';
import { frPolish } from './polish.fr.js';
import { frBigboard } from './bigboard.fr.js';
import { frLanes } from './lanes.fr.js';
import { frCoverage } from './coverage.fr.js';
import { frA11y } from './a11y.fr.js';
import { frRecords } from './records.fr.js';
import { frApi } from './api.fr.js';
import { frSheets } from './sheets.fr.js';
import { frEwp } from './ewp.fr.js';
import { frDigest } from './digest.fr.js';
import { frSaml } from './saml.fr.js';
import { frBoardRefusal } from './board-refusal.fr.js';
import { frLaneWindow } from './lane-window.fr.js';
import { frFirstScreen } from './first-screen.fr.js';
import { frWorkspaceVersions } from './workspace-versions.fr.js';
import { frMeetingPlan } from './meeting-plan.fr.js';

/** Catalogue français : mêmes clés que `en.ts` (le typage refuse une clé manquante ou en trop). */
export const fr: Record<MessageKey, string> = {
  ...frDomain,
  ...frBoard,
  ...frMeeting,
  ...frWorkspace,
  ...frPeople,
  ...frAccess,
  ...frInternal,
  ...frCollab,
  ...frVersions,
  ...frProposal,
  ...frSuggestions,
  ...frProposalComments,
  ...frTemplates,
  ...frProposalEditor,
  ...frOffline,
  ...frLinks,
  ...frSearch,
  ...frKeyboard,
  ...frGuests,
  ...frLayout,
  ...frSso,
  ...frCalendar,
  ...frMail,
  ...frProposalPolish,
  ...frPolish,
  ...frBigboard,
  ...frLanes,
  ...frCoverage,
  ...frA11y,
  ...frRecords,
  ...frApi,
  ...frSheets,
  ...frEwp,
  ...frDigest,
  ...frSaml,
  ...frBoardRefusal,
  ...frLaneWindow,
  ...frFirstScreen,
  ...frWorkspaceVersions,
  ...frMeetingPlan,
  'app.name': 'Passerelle',
  'app.tagline': 'Tableaux de pilotage des relations internationales',
  'language.label': 'Langue',
  'language.fr': 'Français',
  'language.en': 'English',

  'auth.login.title': 'Connexion',
  'auth.email': 'Adresse e-mail',
  'auth.password': 'Mot de passe',
  'auth.name': 'Nom',
  'auth.login.submit': 'Se connecter',
  'auth.logout': 'Se déconnecter',
  'auth.setup.title': 'Créer le premier administrateur',
  'auth.setup.intro': 'Passerelle n’a encore aucun compte. Créez le compte administrateur pour commencer.',
  'auth.setup.submit': 'Créer le compte',
  'auth.password.hint': 'Au moins 10 caractères.',

  'boards.title': 'Tableaux',
  'boards.empty': 'Aucun tableau pour le moment. Créez le premier.',
  'boards.new.placeholder': 'Titre du nouveau tableau',
  'boards.new.submit': 'Créer le tableau',
  'boards.rename': 'Renommer',
  'boards.delete': 'Supprimer',
  'boards.delete.confirm': 'Supprimer le tableau « {title} » pour tout le monde ?',
  'boards.open': 'Ouvrir',
  'boards.updated': 'Modifié le {date}',

  'board.back': 'Tous les tableaux',
  'board.loading': 'Chargement du tableau…',
  'board.column.add': 'Ajouter une colonne',
  'board.column.new.placeholder': 'Titre de la colonne',
  'board.column.rename': 'Renommer la colonne',
  'board.column.delete': 'Supprimer la colonne',
  'board.column.moveLeft': 'Déplacer la colonne à gauche',
  'board.column.moveRight': 'Déplacer la colonne à droite',
  'board.card.add': 'Ajouter une carte',
  'board.card.new.placeholder': 'Titre de la carte',
  'board.card.open': 'Ouvrir la carte',
  'board.card.title': 'Titre',
  'board.card.description': 'Description',
  'board.card.column': 'Colonne',
  'board.card.delete': 'Supprimer la carte',
  'board.card.close': 'Fermer',
  'board.card.deleted': 'Carte supprimée.',
  'board.column.deleted': 'Colonne supprimée.',
  'board.undo': 'Annuler',
  'board.redo': 'Rétablir',
  'board.dragHint': 'Espace pour saisir une carte, flèches pour la déplacer, Espace pour la déposer.',
  'board.cardCount': '{count} cartes',
  'board.presence.here': 'Sur ce tableau',
  'board.presence.viewing': '{name} a ouvert cette carte',
  'board.gone': 'Ce tableau a été supprimé.',

  'status.connecting': 'Connexion…',
  'status.online': 'En ligne',
  'status.offline': 'Hors ligne : vos modifications sont conservées et seront synchronisées à la reconnexion',
  'status.synced': 'Toutes les modifications sont enregistrées',

  'error.invalid_request': 'Certains champs ne sont pas valides.',
  'error.unauthorized': 'Veuillez vous connecter.',
  'error.forbidden': 'Vous n’avez pas accès à cet élément.',
  'error.not_found': 'Introuvable.',
  'error.invalid_credentials': 'Adresse e-mail ou mot de passe incorrect.',
  'error.payload_too_large': 'La requête est trop volumineuse.',
  'error.email_taken': 'Un compte utilise déjà cette adresse e-mail.',
  'error.setup_not_available': 'Le lien d’installation est invalide ou a déjà été utilisé.',
  'error.too_many_attempts': 'Trop de tentatives de connexion échouées. Réessayez dans quelques minutes.',
  'error.search_busy': 'Trop de recherches sont en cours. Réessayez dans un instant.',
  'error.invitation_expired': 'Cette invitation a expiré. Demandez un nouveau lien.',
  'error.internal': 'Une erreur est survenue sur le serveur. Veuillez réessayer.',
  'error.network': 'Le serveur est injoignable. Vérifiez votre connexion.',
  'error.board_too_new': 'Ce tableau a été enregistré par une version plus récente de Passerelle. Rechargez la page.',

  'tokens.title': 'Jetons d’API',
  'tokens.intro': 'Les jetons permettent à des scripts d’utiliser l’API et la synchronisation en votre nom.',
  'tokens.name': 'Nom du jeton',
  'tokens.create': 'Créer un jeton',
  'tokens.created': 'Copiez ce jeton maintenant : il ne sera plus affiché.',
  'tokens.revoke': 'Révoquer',
  'tokens.empty': 'Aucun jeton.',

  'common.save': 'Enregistrer',
  'common.cancel': 'Annuler',
  'auth.setup.needed': 'Passerelle n’a encore aucun compte. Ouvrez le lien d’installation affiché par le serveur à son démarrage.',
  'auth.setup.notNeeded': 'Passerelle est déjà installé. Connectez-vous avec votre compte.',
  'tokens.copy': 'Copier',
  'tokens.copied': 'Copié',
  'tokens.createdAt': 'Créé le',
  'tokens.lastUsed': 'Dernière utilisation',
  'tokens.neverUsed': 'Jamais utilisé',
  'board.card.detail': 'Détails de la carte',
  'board.card.description.placeholder': 'Ajoutez des précisions : contacts, échéances, documents…',
  'board.card.createdAt': 'Créée le {date}',
  'board.presence.you': '{name} (vous)',
  'board.tooLarge': 'Votre dernière modification est trop volumineuse pour être enregistrée. Raccourcissez-la puis réessayez.',
  'board.refused': 'Le serveur a fermé ce tableau. Rechargez la page pour réessayer.',
  'board.keyboardHint': 'Sur une carte : Entrée l’ouvre, Alt+flèches la déplacent.',
  'board.readOnlyHint': 'Sur une carte : Entrée l’ouvre.',
};
