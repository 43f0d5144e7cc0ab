import type {
  ApiTokenSummary,
  MailDelivery,
  MailPreferenceKind,
  AppNotification,
  AuditEvent,
  AuditEventType,
  BoardRole,
  BoardSummary,
  Department,
  GuestRole,
  HistoryEntry,
  Locale,
  WorkspaceAccess,
} from '@passerelle/shared';

/** A person's account as stored. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  isAdmin: boolean;
  /** Changes partners and agreements (given by an administrator; `shared/src/workspace/permissions.ts`). */
  managesAgreements: boolean;
  locale: Locale | null;
  departments: Department[];
  createdAt: string;
  /** Set when an administrator deactivated the account: it cannot sign in or use its tokens. */
  deactivatedAt: string | null;
}

/** A password reset link as stored: the hash of its secret, whose account, until when. */
export interface PasswordResetRecord {
  tokenHash: string;
  userId: string;
  expiresAt: string;
}

/** A member invitation as stored (the secret only as a hash). */
export interface InvitationRecord {
  id: string;
  tokenHash: string;
  email: string;
  departments: Department[];
  isAdmin: boolean;
  createdBy: string;
  createdByName: string;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}

/** A partner guest invite link of one board. */
export interface GuestInviteRecord {
  id: string;
  boardId: string;
  tokenHash: string;
  role: GuestRole;
  label: string;
  createdBy: string;
  createdByName: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  guestCount: number;
}

/** A partner who joined through a guest invite. */
export interface GuestRecord {
  id: string;
  inviteId: string;
  name: string;
  organisation: string | null;
  locale: Locale | null;
  joinedAt: string;
  revokedAt: string | null;
}

/** A board's access settings: its default for workspace members and its explicit members. */
export interface BoardAccessRecord {
  workspaceAccess: WorkspaceAccess;
  members: { userId: string; role: BoardRole }[];
}

/** An audit event to record (`id` and `at` are given by the store). */
export type NewAuditEvent = Omit<AuditEvent, 'id' | 'at'> & { at?: string };

/** An email already belongs to an account. */
export class EmailTakenError extends Error {
  constructor() {
    super('email_taken');
    this.name = 'EmailTakenError';
  }
}

/**
 * People, their sessions and their API tokens. Tokens are only ever stored as hashes. Asynchronous,
 * as every store here, so that a networked implementation fits.
 */
export interface PeopleStore {
  countUsers(): Promise<number>;
  /** Creates the account; rejects with `EmailTakenError` when the email is in use. */
  createUser(user: UserRecord): Promise<void>;
  /** Creates the account only if no account exists yet (first administrator); false otherwise. */
  createFirstUser(user: UserRecord): Promise<boolean>;
  findUserByEmail(email: string): Promise<UserRecord | undefined>;
  findUserById(id: string): Promise<UserRecord | undefined>;
  /** The account linked to a person's identity at a single sign-on provider: its issuer and its subject (`sub`). */
  findUserByExternalId(issuer: string, subject: string): Promise<UserRecord | undefined>;
  /**
   * Links an account to its identity at a provider; linking it again to the same one changes nothing.
   * False, and nothing written, when that identity is another account's or the account already has
   * another subject at that issuer. Rejects for an unknown person.
   */
  linkExternalId(userId: string, issuer: string, subject: string): Promise<boolean>;
  updateUser(
    id: string,
    patch: { name?: string; locale?: Locale | null; departments?: Department[]; isAdmin?: boolean; managesAgreements?: boolean; deactivatedAt?: string | null },
  ): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  /**
   * Removes an account that an import created, when the import is undone: it was created
   * deactivated, so no one ever used it; its sessions, tokens and board roles go with it. The
   * import deletes its boards first (a board names its creator). False when there is no such account.
   */
  deleteImportedUser(id: string): Promise<boolean>;

  createSession(tokenHash: string, userId: string, expiresAt: string): Promise<void>;
  findSession(tokenHash: string): Promise<{ userId: string; expiresAt: string } | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Ends every session of a person (deactivation, a password reset), or every one but `except` (a password changed from that session). */
  deleteSessionsOf(userId: string, options?: { except?: string }): Promise<void>;
  /** Replaces a person's password hash; false when there is no such account. */
  setPasswordHash(userId: string, passwordHash: string): Promise<boolean>;

  /** Records a password reset link (only the SHA-256 of its secret) for a person until `expiresAt`. */
  createPasswordReset(reset: PasswordResetRecord): Promise<void>;
  /**
   * Uses up a reset link: returns it and deletes it together with every other outstanding link of
   * the same person, atomically, so that of two concurrent uses only one gets it. Undefined when the
   * hash is unknown or was already used. An expired link may still be returned: the caller refuses it.
   */
  takePasswordReset(tokenHash: string): Promise<PasswordResetRecord | undefined>;

  /** A person's e-mail choices that differ from the default (at once), by kind. */
  getMailPreferences(userId: string): Promise<Partial<Record<MailPreferenceKind, MailDelivery>>>;
  setMailPreference(userId: string, kind: MailPreferenceKind, delivery: MailDelivery): Promise<void>;
  /**
   * The secret a person's unsubscribe links are signed with, made on first use; of two concurrent
   * first uses, both get the same one. Rejects for a person who does not exist.
   */
  mailLinkSecret(userId: string, candidate: string): Promise<string>;

  createApiToken(token: { id: string; userId: string; name: string; tokenHash: string; createdAt: string }): Promise<void>;
  findApiToken(tokenHash: string): Promise<{ id: string; userId: string } | undefined>;
  touchApiToken(id: string, usedAt: string): Promise<void>;
  listApiTokens(userId: string): Promise<ApiTokenSummary[]>;
  deleteApiToken(userId: string, id: string): Promise<boolean>;
}

/**
 * The list of boards and who may open each: its default for workspace members and its explicit
 * members. Deleting a board takes its roles, guest invites, guests and their sessions with it.
 */
export interface BoardDirectory {
  createBoard(board: BoardSummary): Promise<void>;
  getBoard(id: string): Promise<BoardSummary | undefined>;
  listBoards(): Promise<BoardSummary[]>;
  renameBoard(id: string, title: string, updatedAt: string): Promise<BoardSummary | undefined>;
  deleteBoard(id: string): Promise<boolean>;

  getBoardAccess(boardId: string): Promise<BoardAccessRecord | undefined>;
  /** The workspace access of several boards at once (one query), by board id; unknown boards are left out. */
  workspaceAccessOf(boardIds: readonly string[]): Promise<Map<string, WorkspaceAccess>>;
  setWorkspaceAccess(boardId: string, access: WorkspaceAccess): Promise<void>;
  /** Sets (or, with null, removes) a member's explicit role on a board. */
  setBoardMember(boardId: string, userId: string, role: BoardRole | null): Promise<void>;
  /** Explicit roles of one person, by board id. */
  boardRolesOf(userId: string): Promise<Map<string, BoardRole>>;
}

/** Member invitations, partner guest invite links of a board, the guests who joined by them and their sessions. */
export interface InvitationStore {
  createInvitation(invitation: Omit<InvitationRecord, 'createdByName'>): Promise<void>;
  findInvitationByToken(tokenHash: string): Promise<InvitationRecord | undefined>;
  listInvitations(): Promise<InvitationRecord[]>;
  /** Marks an invitation accepted; false when it was already accepted or revoked (one use only). */
  acceptInvitation(id: string, at: string): Promise<boolean>;
  revokeInvitation(id: string, at: string): Promise<boolean>;

  createGuestInvite(invite: Omit<GuestInviteRecord, 'createdByName' | 'guestCount'>): Promise<void>;
  findGuestInviteByToken(tokenHash: string): Promise<GuestInviteRecord | undefined>;
  getGuestInvite(id: string): Promise<GuestInviteRecord | undefined>;
  listGuestInvites(boardId: string): Promise<GuestInviteRecord[]>;
  revokeGuestInvite(id: string, at: string): Promise<boolean>;
  createGuest(guest: GuestRecord): Promise<void>;
  getGuest(id: string): Promise<GuestRecord | undefined>;
  /** Saves the language a guest chose (null: their browser's); the guest as it now is, or undefined when unknown. */
  setGuestLocale(id: string, locale: Locale | null): Promise<GuestRecord | undefined>;
  listGuests(boardId: string): Promise<GuestRecord[]>;
  revokeGuest(id: string, at: string): Promise<boolean>;
  createGuestSession(tokenHash: string, guestId: string): Promise<void>;
  findGuestSession(tokenHash: string): Promise<{ guestId: string } | undefined>;
  deleteGuestSession(tokenHash: string): Promise<void>;
}

/** What happened: the audit log, people's notifications and each board's history. */
export interface ActivityStore {
  recordAudit(event: NewAuditEvent): Promise<void>;
  listAudit(query: { type?: AuditEventType; before?: number; limit: number }): Promise<AuditEvent[]>;

  createNotification(userId: string, notification: AppNotification): Promise<void>;
  listNotifications(userId: string, limit: number): Promise<AppNotification[]>;
  countUnreadNotifications(userId: string): Promise<number>;
  /** Marks the given notifications (all, without ids) of a person as read. */
  markNotificationsRead(userId: string, ids: string[] | null, at: string): Promise<void>;

  appendHistory(boardId: string, entries: Omit<HistoryEntry, 'id'>[]): Promise<void>;
  listHistory(boardId: string, query: { cardId?: string; before?: number; limit: number }): Promise<HistoryEntry[]>;
}

/** Where an e-mail of the outbox stands: waiting (for its first try or a retry), sent, or given up. */
export type OutboxStatus = 'pending' | 'sent' | 'failed';

/** An e-mail as the outbox keeps it: written before it is sent, kept after, with its last failure. */
export interface OutboxMessage {
  id: string;
  /** What it is (`password_reset`, `invitation`, `mention`, `test`...), for the administrators' list. */
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  createdAt: string;
  status: OutboxStatus;
  attempts: number;
  /** When it may be tried next (pending only): a retry's time, or the end of a sender's lease on it. */
  nextAttemptAt: string;
  lastAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
}

/** A new message for the outbox: pending, never tried, due at once. */
export type NewOutboxMessage = Pick<OutboxMessage, 'id' | 'kind' | 'to' | 'subject' | 'text' | 'html' | 'headers' | 'createdAt'>;

/**
 * The outbox of e-mail: every message is written here before anything tries to send it, so that a
 * refused or unreachable SMTP server delays a message instead of losing it, and administrators see
 * what failed. Several processes may send from one outbox: `claimDue` hands each due message to one.
 */
export interface MailOutbox {
  enqueue(message: NewOutboxMessage): Promise<void>;
  getMessage(id: string): Promise<OutboxMessage | undefined>;
  /**
   * The pending messages due at `now` (oldest due first, ties by id, at most `limit`), each moved to
   * `leaseUntil` atomically, so that no other sender takes it meanwhile; a sender that dies leaves
   * it to be taken again at `leaseUntil`.
   */
  claimDue(now: string, leaseUntil: string, limit: number): Promise<OutboxMessage[]>;
  recordSent(id: string, at: string): Promise<void>;
  /** Counts a failed try; `retryAt` null gives the message up (status `failed`). */
  recordFailure(id: string, at: string, error: string, retryAt: string | null): Promise<void>;
  /** Messages whose last try failed (still retried, or given up), the most recent failure first. */
  listFailures(limit: number): Promise<OutboxMessage[]>;
}

/** A person's calendar feed: their actions and deadlines (`boardId` null) or one board's dates. */
export interface CalendarFeedRecord {
  id: string;
  userId: string;
  boardId: string | null;
  createdAt: string;
}

/** When an event of a feed last changed, so that calendar clients update it rather than add it again. */
export interface CalendarEventStamp {
  /** Starts at 0 and goes up by one each time the event's content changes (RFC 5545 SEQUENCE). */
  sequence: number;
  /** When that last change was first served (RFC 5545 LAST-MODIFIED). */
  modifiedAt: string;
}

/**
 * People's calendar feeds, each reached by a secret URL stored only as a hash; at most one feed per
 * person and board (and one for their own actions), so renewing replaces the secret. Also the stamps
 * of the events served, shared by every feed: an event's uid names the same item in every feed.
 */
export interface CalendarFeedStore {
  /** Sets a person's feed for a board (or their own), replacing the one before and its secret; rejects for an unknown person or board. */
  putFeed(feed: CalendarFeedRecord & { tokenHash: string }): Promise<void>;
  findFeedByToken(tokenHash: string): Promise<CalendarFeedRecord | undefined>;
  /** A person's feeds in creation order. */
  listFeeds(userId: string): Promise<CalendarFeedRecord[]>;
  /** Revokes a feed of its owner; false when they have no such feed. */
  deleteFeed(userId: string, id: string): Promise<boolean>;
  /**
   * The stamp of each event, by uid, given a fingerprint of its content now: an event seen for the
   * first time gets sequence 0 and `at`; one whose fingerprint changed goes up by one and gets `at`.
   */
  stampEvents(events: readonly { uid: string; fingerprint: string }[], at: string): Promise<Map<string, CalendarEventStamp>>;
}

/**
 * What the e-mail scheduler already did, so that several processes, and a process started again,
 * send each reminder and each day's digest once. A claim is the record: whoever makes it sends.
 */
export interface MailScheduleStore {
  /** Records a reminder (`key` names the item, its due date and the person) at `at`: true for the one caller that recorded it, false ever after. */
  claimReminder(key: string, at: string): Promise<boolean>;
  /**
   * Claims a person's digest of `day` (`YYYY-MM-DD` in the school's time zone) at `at`: null when it,
   * or a later day's, was claimed already; otherwise when their previous digest was claimed (null before the first).
   */
  claimDigest(userId: string, day: string, at: string): Promise<{ previousAt: string | null } | null>;
}

/**
 * The four account stores of one backend, over one database or one Redis keyspace that they open and
 * close together. Callers take the store of their concern (`people`, `directory`, `invitations`,
 * `activity`); whole-workspace tools (export, import, the demo) take the ones they use.
 */
export interface AccountStores {
  readonly people: PeopleStore;
  readonly directory: BoardDirectory;
  readonly invitations: InvitationStore;
  readonly activity: ActivityStore;
  /** E-mail written before it is sent (server/src/mail/outbox-sender.ts). */
  readonly mail: MailOutbox;
  readonly calendars: CalendarFeedStore;
  /** Reminders and digests already sent (server/src/mail/mail-scheduler.ts). */
  readonly mailSchedule: MailScheduleStore;
  /** Resolves when the storage answers now, rejects otherwise (readiness); an in-memory one, with nothing to lose touch with, has none. */
  ping?(): Promise<void>;
  close(): Promise<void>;
}
