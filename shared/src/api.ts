/**
 * The JSON API's request bodies (validated with zod at the server's edge) and response shapes.
 * Every error response has the shape `{ error: { code, message } }`; `code` is one of `ApiErrorCode`
 * and the web app translates it with the catalog key `error.<code>`.
 */
import { z } from 'zod';
import type { BoardRole, GuestRole } from './access.js';
import { Department } from './domain/vocabulary.js';

export const ApiErrorCode = [
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'invalid_credentials',
  'payload_too_large',
  'email_taken',
  'setup_not_available',
  'too_many_attempts',
  /** Too many searches are running (per person or on the server): try again after Retry-After. */
  'search_busy',
  'invitation_expired',
  /** A board's versions are at their cap (count of named versions, or bytes): delete some first. */
  'version_limit',
  /** A password reset link that is unknown, already used or past its hour. */
  'reset_link_invalid',
  /** Something that sends e-mail was asked of a server without `SMTP_URL`. */
  'mail_not_configured',
  /** Password sign-in is turned off (`AUTH_REQUIRE_SSO`) for everyone but the break-glass administrator. */
  'sso_required',
  /** A change through the REST API that the workflow's rules refuse (a gate without its sign-offs). */
  'workflow_refused',
  /** A webhook address the server will not call (loopback, private network, unresolvable). */
  'webhook_address_refused',
  'internal',
] as const;
export type ApiErrorCode = (typeof ApiErrorCode)[number];

/** The body of every error response. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; details?: { path: string; message: string }[] };
}

export const Locale = z.enum(['fr', 'en']);
export type Locale = z.infer<typeof Locale>;

const email = z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254));
/** Passwords: at least 10 characters, so that a hashed password resists offline guessing. */
const password = z.string().min(10).max(256);
const displayName = z.string().trim().min(1).max(80);

/** What `GET /api/auth/methods` says: the single sign-on button to show, and whether passwords are for the break-glass administrator only. */
export interface SignInMethods {
  /** `endSession`: the provider has a sign-out address, offered after signing out of Passerelle. */
  sso: { displayName: string; endSession: boolean } | null;
  /** SAML 2.0 single sign-on (a Shibboleth federation such as RENATER); `endSession`: the provider offers single logout. */
  saml: { displayName: string; endSession: boolean } | null;
  passwordRequiresSso: boolean;
}

export const LoginRequest = z.object({ email, password: z.string().min(1).max(256) });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const SetupRequest = z.object({ token: z.string().min(1).max(200), email, password, name: displayName });
export type SetupRequest = z.infer<typeof SetupRequest>;

/** A signed-in person changes their password: the current one proves it is them. */
export const ChangePasswordRequest = z.object({ currentPassword: z.string().min(1).max(256), newPassword: password });
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/** Asks for a password reset e-mail; answered 202 whether or not the address has an account. */
export const PasswordResetRequest = z.object({ email });
export type PasswordResetRequest = z.infer<typeof PasswordResetRequest>;

/** Sets a new password with the secret of a reset link. */
export const PasswordResetConfirmRequest = z.object({ token: z.string().min(1).max(200), password });
export type PasswordResetConfirmRequest = z.infer<typeof PasswordResetConfirmRequest>;

/** The kinds of e-mail a person chooses to receive or not: the in-app notifications' kinds, and due-date reminders. */
export const MailPreferenceKind = z.enum(['mention', 'assignment', 'sign_off_request', 'reminder']);
export type MailPreferenceKind = z.infer<typeof MailPreferenceKind>;

/** When a person gets an e-mail of one kind: at once, gathered in the daily digest, or never (the in-app notification stays). */
export const MailDelivery = z.enum(['immediate', 'digest', 'never']);
export type MailDelivery = z.infer<typeof MailDelivery>;

/** A person's e-mail choices, every kind present (`GET`/`PUT /api/auth/mail-preferences`). */
export const MailPreferences = z.object({ mention: MailDelivery, assignment: MailDelivery, sign_off_request: MailDelivery, reminder: MailDelivery });
export type MailPreferences = z.infer<typeof MailPreferences>;

/** What an unsubscribe link stops: one kind, or (a digest's link) every kind gathered in the digest. */
export const UnsubscribeScope = z.union([MailPreferenceKind, z.literal('digest')]);
export type UnsubscribeScope = z.infer<typeof UnsubscribeScope>;

/** `POST /api/mail/unsubscribe`: the signed token of an e-mail's unsubscribe link. */
export const UnsubscribeRequest = z.object({ token: z.string().min(1).max(300) });

/** An e-mail whose last try failed, as administrators see it (`GET /api/mail`). */
export interface MailFailure {
  id: string;
  kind: string;
  to: string;
  subject: string;
  /** `pending`: it will be tried again at `nextAttemptAt`; `failed`: given up. */
  status: 'pending' | 'failed';
  attempts: number;
  lastError: string;
  lastAttemptAt: string;
  nextAttemptAt: string | null;
}

/** `GET /api/mail`: whether e-mail goes out, from which sender, and the last failures, newest first. */
export interface MailSettings {
  enabled: boolean;
  from: string | null;
  failures: MailFailure[];
}

export const BoardTitle = z.string().trim().min(1).max(120);
export const CreateBoardRequest = z.object({ title: BoardTitle });
export type CreateBoardRequest = z.infer<typeof CreateBoardRequest>;
export const RenameBoardRequest = z.object({ title: BoardTitle });
export type RenameBoardRequest = z.infer<typeof RenameBoardRequest>;

export const CreateTokenRequest = z.object({ name: z.string().trim().min(1).max(80) });
export type CreateTokenRequest = z.infer<typeof CreateTokenRequest>;

export const CreateUserRequest = z.object({
  email,
  password,
  name: displayName,
  locale: Locale.optional(),
  departments: z.array(Department).max(6).optional(),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

/** An administrator's changes to someone's account; `active: false` deactivates it and ends its sessions. */
export const UpdateUserRequest = z.object({
  name: displayName.optional(),
  departments: z.array(Department).max(6).optional(),
  isAdmin: z.boolean().optional(),
  /** Gives or takes the agreements manager capability: changing partners and agreements (`workspace/permissions.ts`). */
  managesAgreements: z.boolean().optional(),
  active: z.boolean().optional(),
});
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const UpdateMeRequest = z.object({ locale: Locale.optional(), name: displayName.optional() });
export type UpdateMeRequest = z.infer<typeof UpdateMeRequest>;

/** The signed-in person, as `GET /api/auth/me` returns it. */
export interface Me {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  /** An administrator made this person an agreements manager: they change partners and agreements. */
  managesAgreements: boolean;
  locale: Locale | null;
  /** The departments this person belongs to: they may sign off for these. */
  departments: Department[];
  /** False once an administrator deactivated the account (only administrators see such accounts). */
  active: boolean;
  /** Set for a partner guest: the one board they were invited to, and how. */
  guest: GuestInfo | null;
}

/** What a guest's session is limited to. */
export interface GuestInfo {
  boardId: string;
  boardTitle: string;
  role: GuestRole;
  organisation: string | null;
  expiresAt: string;
}

/** An API token's metadata; the secret itself is only returned once, at creation. */
export const ApiTokenSummary = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type ApiTokenSummary = z.infer<typeof ApiTokenSummary>;

/** A member of the workspace as everyone may see them (`GET /api/people` → `{ people: Person[] }`). */
export interface Person {
  id: string;
  name: string;
  departments: Department[];
}

/** `GET /api/search?q=`: the text sought, trimmed; two characters at least, so one letter does not list every board. */
export const SearchQuery = z.object({ q: z.string().trim().min(2).max(100) });
export type SearchQuery = z.infer<typeof SearchQuery>;

/**
 * What a search hit is, which also says where it links: a board (its title); on a board, a proposal or
 * note card, a roadmap or action item, a comment on a card, a section of a proposal's text, a comment
 * on a proposal's text, internal notes (members only); in the workspace, a partner or an agreement.
 */
export type SearchHitKind =
  | 'board'
  | 'proposal'
  | 'note'
  | 'roadmap'
  | 'action'
  | 'comment'
  | 'section'
  | 'proposalComment'
  | 'internal'
  | 'partner'
  | 'agreement';

/** A stretch `[start, end)` of a hit's title or excerpt (UTF-16 offsets) holding a word that matched. */
export type SearchMark = [number, number];

/**
 * Something whose words match a search (`GET /api/search` → `{ hits: SearchHit[] }`), best first.
 * A query's words each match the start of a word, case and accents ignored ("mobil" finds "Mobilité").
 */
export interface SearchHit {
  kind: SearchHitKind;
  /** The board, card, item, comment, section, partner or agreement id. */
  id: string;
  /** The board it is on, null for partners and agreements. */
  boardId: string | null;
  boardTitle: string | null;
  /** The card it belongs to (a comment's, a section's, internal notes'), null otherwise. */
  cardId: string | null;
  cardTitle: string | null;
  /** The title (of a comment: its author), with the matched words' ranges. */
  title: string;
  titleMarks: SearchMark[];
  /** About 120 characters of the text around the match, with "…" where it was cut, and the matched words' ranges. */
  excerpt: string;
  excerptMarks: SearchMark[];
}
