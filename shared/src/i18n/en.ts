import { enAccess } from './access.en.js';
import { enBoard } from './board.en.js';
import { enCollab } from './collab.en.js';
import { enMeeting } from './meeting.en.js';
import { enDomain } from './domain.en.js';
import { enInternal } from './internal.en.js';
import { enPeople } from './people.en.js';
import { enWorkspace } from './workspace.en.js';
import { enVersions } from './versions.en.js';
import { enProposal } from './proposal.en.js';
import { enSuggestions } from './suggestions.en.js';
import { enProposalComments } from './proposal-comments.en.js';
import { enTemplates } from './templates.en.js';
import { enProposalEditor } from './proposal-editor.en.js';
import { enOffline } from './offline.en.js';
import { enLinks } from './links.en.js';
import { enSearch } from './search.en.js';
import { enKeyboard } from './keyboard.en.js';
import { enGuests } from './guests.en.js';
import { enLayout } from './layout.en.js';
import { enSso } from './sso.en.js';
import { enCalendar } from './calendar.en.js';
import { enMail } from './mail.en.js';
import { enProposalPolish } from './proposal-polish.en.js';
import { enPolish } from './polish.en.js';
import { enBigboard } from './bigboard.en.js';
import { enLanes } from './lanes.en.js';
import { enCoverage } from './coverage.en.js';
import { enA11y } from './a11y.en.js';
import { enRecords } from './records.en.js';
import { enApi } from './api.en.js';
import { enSheets } from './sheets.en.js';
import { enEwp } from './ewp.en.js';
import { enDigest } from './digest.en.js';
import { enSaml } from './saml.en.js';
import { enBoardRefusal } from './board-refusal.en.js';
import { enLaneWindow } from './lane-window.en.js';
import { enFirstScreen } from './first-screen.en.js';
import { enWorkspaceVersions } from './workspace-versions.en.js';
import { enMeetingPlan } from './meeting-plan.en.js';

/** English catalog. Keys are shared with `fr.ts`; the French catalog is checked against this one. */
export const en = {
  ...enDomain,
  ...enBoard,
  ...enMeeting,
  ...enWorkspace,
  ...enPeople,
  ...enAccess,
  ...enInternal,
  ...enCollab,
  ...enVersions,
  ...enProposal,
  ...enSuggestions,
  ...enProposalComments,
  ...enTemplates,
  ...enProposalEditor,
  ...enOffline,
  ...enLinks,
  ...enSearch,
  ...enKeyboard,
  ...enGuests,
  ...enLayout,
  ...enSso,
  ...enCalendar,
  ...enMail,
  ...enProposalPolish,
  ...enPolish,
  ...enBigboard,
  ...enLanes,
  ...enCoverage,
  ...enA11y,
  ...enRecords,
  ...enApi,
  ...enSheets,
  ...enEwp,
  ...enDigest,
  ...enSaml,
  ...enBoardRefusal,
  ...enLaneWindow,
  ...enFirstScreen,
  ...enWorkspaceVersions,
  ...enMeetingPlan,
  'app.name': 'Passerelle',
  'app.tagline': 'Planning boards for international relations',
  'language.label': 'Language',
  'language.fr': 'Français',
  'language.en': 'English',

  'auth.login.title': 'Sign in',
  'auth.email': 'Email',
  'auth.password': 'Password',
  'auth.name': 'Name',
  'auth.login.submit': 'Sign in',
  'auth.logout': 'Sign out',
  'auth.setup.title': 'Create the first administrator',
  'auth.setup.intro': 'Passerelle has no account yet. Create the administrator account to start.',
  'auth.setup.submit': 'Create account',
  'auth.password.hint': 'At least 10 characters.',

  'boards.title': 'Boards',
  'boards.empty': 'No board yet. Create the first one.',
  'boards.new.placeholder': 'New board title',
  'boards.new.submit': 'Create board',
  'boards.rename': 'Rename',
  'boards.delete': 'Delete',
  'boards.delete.confirm': 'Delete the board “{title}” for everyone?',
  'boards.open': 'Open',
  'boards.updated': 'Updated {date}',

  'board.back': 'All boards',
  'board.loading': 'Loading the board…',
  'board.column.add': 'Add a column',
  'board.column.new.placeholder': 'Column title',
  'board.column.rename': 'Rename column',
  'board.column.delete': 'Delete column',
  'board.column.moveLeft': 'Move column left',
  'board.column.moveRight': 'Move column right',
  'board.card.add': 'Add a card',
  'board.card.new.placeholder': 'Card title',
  'board.card.open': 'Open card',
  'board.card.title': 'Title',
  'board.card.description': 'Description',
  'board.card.column': 'Column',
  'board.card.delete': 'Delete card',
  'board.card.close': 'Close',
  'board.card.deleted': 'Card deleted.',
  'board.column.deleted': 'Column deleted.',
  'board.undo': 'Undo',
  'board.redo': 'Redo',
  'board.dragHint': 'Press space to pick up a card, arrow keys to move it, space to drop it.',
  'board.cardCount': '{count} cards',
  'board.presence.here': 'On this board',
  'board.presence.viewing': '{name} has this card open',
  'board.gone': 'This board was deleted.',

  'status.connecting': 'Connecting…',
  'status.online': 'Online',
  'status.offline': 'Offline: your changes are kept and will sync on reconnection',
  'status.synced': 'All changes saved',

  'error.invalid_request': 'Some fields are not valid.',
  'error.unauthorized': 'Please sign in.',
  'error.forbidden': 'You do not have access to this.',
  'error.not_found': 'Not found.',
  'error.invalid_credentials': 'Wrong email or password.',
  'error.payload_too_large': 'The request is too large.',
  'error.email_taken': 'An account already uses this email.',
  'error.setup_not_available': 'The setup link is invalid or was already used.',
  'error.too_many_attempts': 'Too many failed sign-in attempts. Try again in a few minutes.',
  'error.search_busy': 'Too many searches are running. Try again in a moment.',
  'error.invitation_expired': 'This invitation has expired. Ask for a new link.',
  'error.internal': 'Something went wrong on the server. Please try again.',
  'error.network': 'The server cannot be reached. Check your connection.',
  'error.board_too_new': 'This board was saved by a newer version of Passerelle. Please reload the page.',

  'tokens.title': 'API tokens',
  'tokens.intro': 'Tokens let scripts use the API and the sync endpoint on your behalf.',
  'tokens.name': 'Token name',
  'tokens.create': 'Create token',
  'tokens.created': 'Copy this token now: it will not be shown again.',
  'tokens.revoke': 'Revoke',
  'tokens.empty': 'No token.',

  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'auth.setup.needed': 'Passerelle has no account yet. Open the setup link printed by the server when it started.',
  'auth.setup.notNeeded': 'Passerelle is already set up. Sign in with your account.',
  'tokens.copy': 'Copy',
  'tokens.copied': 'Copied',
  'tokens.createdAt': 'Created',
  'tokens.lastUsed': 'Last used',
  'tokens.neverUsed': 'Never used',
  'board.card.detail': 'Card details',
  'board.card.description.placeholder': 'Add details: contacts, deadlines, documents…',
  'board.card.createdAt': 'Created {date}',
  'board.presence.you': '{name} (you)',
  'board.tooLarge': 'Your last change is too large to be saved. Shorten it and try again.',
  'board.refused': 'The server closed this board. Reload the page to try again.',
  'board.keyboardHint': 'On a card: Enter opens it, Alt+arrows move it.',
  'board.readOnlyHint': 'On a card: Enter opens it.',
} as const;

export type MessageKey = keyof typeof en;
