import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hash, verify } from '@node-rs/argon2';
import { parse as parseCookie } from 'cookie';
import { SESSION_COOKIE, newId, type Department, type GuestInfo, type GuestRole, type Locale, type Me, type RecordEditor, type WorkspaceCapability } from '@passerelle/shared';
import type { GuestInviteRecord, InvitationStore, PeopleStore, GuestRecord, InvitationRecord, UserRecord } from '../store/account-store.js';

/** A workspace member, signed in with a session cookie or an API token. */
export interface MemberPrincipal {
  kind: 'member';
  id: string;
  name: string;
  user: UserRecord;
  via: 'session' | 'token';
  /** The SHA-256 of the session secret, so that signing out can end that session's live connections. */
  sessionHash: string | null;
  /** The API token's id when signed in with one, so that revoking the token ends the connections it opened. */
  tokenId?: string;
  /** When this authentication stops being valid (the session's expiry); null for API tokens. */
  expiresAt: string | null;
}

/** A partner guest, signed in through a board's invite link: one board, the invite's role. */
export interface GuestPrincipal {
  kind: 'guest';
  id: string;
  name: string;
  guest: GuestRecord;
  invite: GuestInviteRecord;
  via: 'session';
  sessionHash: string;
  /** The invite's expiry: the guest's connections end then. */
  expiresAt: string;
}

/** Who is making a request, and how they proved it. */
export type Principal = MemberPrincipal | GuestPrincipal;

/** The departments a principal signs off for (guests: none). */
export function departmentsOf(principal: Principal): readonly Department[] {
  return principal.kind === 'member' ? principal.user.departments : [];
}

/** What a principal may do across the workspace's records, as the record rules read it (`canChangeWorkspaceRecord`). */
export function recordEditorOf(principal: Principal): RecordEditor {
  if (principal.kind !== 'member') return { kind: 'guest', capabilities: [], departments: [] };
  return { kind: 'member', capabilities: capabilitiesOf(principal), departments: principal.user.departments };
}

/** The workspace capabilities a principal holds (guests: none). */
export function capabilitiesOf(principal: Principal): WorkspaceCapability[] {
  if (principal.kind !== 'member') return [];
  const capabilities: WorkspaceCapability[] = [];
  if (principal.user.isAdmin) capabilities.push('admin');
  if (principal.user.managesAgreements) capabilities.push('agreements_manager');
  return capabilities;
}

/** Prefix of personal API tokens, so that a leaked one is recognisable (secret scanners, logs). */
const API_TOKEN_PREFIX = 'psl_';
/** Least time between two records of one token's last use (a minute): the settings page shows it to the minute. */
export const TOKEN_USE_RECORD_INTERVAL_MS = 60_000;
/** Tokens whose last record time is remembered, past which the oldest records are forgotten. */
const MAX_TOKENS_REMEMBERED = 10_000;

/** OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane); 2 is `Algorithm.Argon2id`, a const enum. */
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Session cookies, invitation links and API tokens are random secrets; only their SHA-256 is stored. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The public view of an account. */
export function toMe(user: UserRecord): Me {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isAdmin: user.isAdmin,
    managesAgreements: user.managesAgreements,
    locale: user.locale,
    departments: user.departments,
    active: user.deactivatedAt === null,
    guest: null,
  };
}

/** What `GET /api/auth/me` says of a principal: a member's account, or a guest's limited identity. */
export function meOf(principal: Principal, boardTitle = ''): Me {
  if (principal.kind === 'member') return toMe(principal.user);
  const guest: GuestInfo = {
    boardId: principal.invite.boardId,
    boardTitle,
    role: principal.invite.role,
    organisation: principal.guest.organisation,
    expiresAt: principal.invite.expiresAt,
  };
  return { id: principal.id, email: '', name: principal.guest.name, isAdmin: false, managesAgreements: false, locale: principal.guest.locale, departments: [], active: true, guest };
}

/** Why a guest invite or member invitation link cannot be used. */
export type LinkProblem = 'not_found' | 'expired';

/** An invite is usable while it is neither revoked nor expired. */
function linkProblem(link: { expiresAt: string; revokedAt: string | null }, now = Date.now()): LinkProblem | null {
  if (link.revokedAt !== null) return 'not_found';
  return Date.parse(link.expiresAt) <= now ? 'expired' : null;
}

/**
 * Where processes that start together on an empty store agree on one setup link (Redis mode): the
 * link printed by one process must work whichever process the balancer sends the browser to.
 */
export interface SetupLinkRegistry {
  /**
   * Offers a setup secret; resolves with the one every process uses (the first offered). The secret
   * itself is shared, not a hash, so that every process, and one restarted later, prints the same link.
   */
  agree(secret: string): Promise<string>;
}

/** Accounts, passwords, sessions and tokens, over the people store; guests and invitations, over the invitation store. */
export class AuthService {
  readonly #people: PeopleStore;
  readonly #invitations: InvitationStore;
  readonly #sessionDays: number;
  /** A password hash to verify against when the email is unknown, so both cases take the same time. */
  #decoyHash: Promise<string> | null = null;
  /** The SHA-256 of the one-time secret of the setup link, while no account exists. */
  #setupTokenHash: string | null = null;
  readonly #setupLinks: SetupLinkRegistry | null;
  /** When each token's use was last recorded (epoch ms), see `#recordTokenUse`. */
  readonly #tokenUseRecorded = new Map<string, number>();

  constructor(stores: { people: PeopleStore; invitations: InvitationStore }, options: { sessionDays: number; setupLinks?: SetupLinkRegistry }) {
    this.#people = stores.people;
    this.#invitations = stores.invitations;
    this.#sessionDays = options.sessionDays;
    this.#setupLinks = options.setupLinks ?? null;
  }

  hashPassword(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  /** Creates an account. Rejects with `EmailTakenError` when the email is in use. */
  async createUser(input: { email: string; password: string; name: string; isAdmin: boolean; locale?: Locale; departments?: Department[] }): Promise<UserRecord> {
    const user: UserRecord = {
      id: newId(),
      email: input.email,
      name: input.name,
      passwordHash: await this.hashPassword(input.password),
      isAdmin: input.isAdmin,
      managesAgreements: false,
      locale: input.locale ?? null,
      departments: [...new Set(input.departments ?? [])],
      createdAt: new Date().toISOString(),
      deactivatedAt: null,
    };
    await this.#people.createUser(user);
    return user;
  }

  /**
   * Prepares the first start: creates the administrator from the configuration when the store has
   * no account, or else returns a one-time setup secret for the browser setup page.
   */
  async bootstrap(admin: { email: string; password: string } | null): Promise<{ created: boolean; setupToken: string | null }> {
    if ((await this.#people.countUsers()) > 0) return { created: false, setupToken: null };
    if (admin) {
      const user: UserRecord = {
        id: newId(),
        email: admin.email,
        name: admin.email.split('@')[0],
        passwordHash: await this.hashPassword(admin.password),
        isAdmin: true,
        managesAgreements: false,
        locale: null,
        // The administrator is the international relations office's by default.
        departments: ['sri'],
        createdAt: new Date().toISOString(),
        deactivatedAt: null,
      };
      return { created: await this.#people.createFirstUser(user), setupToken: null };
    }
    // With several processes, the first to start offers its link and every process uses that one.
    const secret = this.#setupLinks ? await this.#setupLinks.agree(newSecret()) : newSecret();
    this.#setupTokenHash = hashSecret(secret);
    return { created: false, setupToken: secret };
  }

  /** True while no account exists and a setup link is outstanding. */
  async needsSetup(): Promise<boolean> {
    return this.#setupTokenHash !== null && (await this.#people.countUsers()) === 0;
  }

  /** Creates the first administrator from the setup page; null when the link is wrong or spent. */
  async completeSetup(input: { token: string; email: string; password: string; name: string }): Promise<UserRecord | null> {
    const expected = this.#setupTokenHash;
    if (!expected || !safeEqual(hashSecret(input.token), expected)) return null;
    const user: UserRecord = {
      id: newId(),
      email: input.email,
      name: input.name,
      passwordHash: await this.hashPassword(input.password),
      isAdmin: true,
      managesAgreements: false,
      locale: null,
      departments: ['sri'],
      createdAt: new Date().toISOString(),
      deactivatedAt: null,
    };
    if (!(await this.#people.createFirstUser(user))) return null;
    this.#setupTokenHash = null;
    return user;
  }

  /**
   * The account for these credentials, or null. Takes as long for an unknown email as for a wrong
   * password; a deactivated account is refused like a wrong password.
   */
  async checkPassword(email: string, password: string): Promise<UserRecord | null> {
    const user = await this.#people.findUserByEmail(email);
    if (!user) {
      this.#decoyHash ??= this.hashPassword(newSecret());
      await verify(await this.#decoyHash, password).catch(() => false);
      return null;
    }
    const valid = await verify(user.passwordHash, password).catch(() => false);
    return valid && user.deactivatedAt === null ? user : null;
  }

  /** Invites a colleague: returns the stored invitation and the link's secret (shown once). */
  async createInvitation(
    by: UserRecord,
    input: { email: string; departments: Department[]; isAdmin: boolean; expiresInDays: number },
  ): Promise<{ invitation: InvitationRecord; secret: string }> {
    const secret = newSecret();
    const now = new Date();
    const invitation: InvitationRecord = {
      id: newId(),
      tokenHash: hashSecret(secret),
      email: input.email,
      departments: [...new Set(input.departments)],
      isAdmin: input.isAdmin,
      createdBy: by.id,
      createdByName: by.name,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + input.expiresInDays * 24 * 3600 * 1000).toISOString(),
      acceptedAt: null,
      revokedAt: null,
    };
    await this.#invitations.createInvitation(invitation);
    return { invitation, secret };
  }

  /** The invitation behind a link, or why it cannot be used. */
  async findInvitation(secret: string): Promise<InvitationRecord | LinkProblem> {
    const invitation = await this.#invitations.findInvitationByToken(hashSecret(secret));
    if (!invitation || invitation.acceptedAt !== null) return 'not_found';
    return linkProblem(invitation) ?? invitation;
  }

  /** Creates the invited person's account (once); rejects with `EmailTakenError` when the email is in use. */
  async acceptInvitation(secret: string, input: { name: string; password: string }): Promise<UserRecord | LinkProblem> {
    const invitation = await this.findInvitation(secret);
    if (typeof invitation === 'string') return invitation;
    if (!(await this.#invitations.acceptInvitation(invitation.id, new Date().toISOString()))) return 'not_found';
    const user = await this.createUser({
      email: invitation.email,
      password: input.password,
      name: input.name,
      isAdmin: invitation.isAdmin,
      departments: invitation.departments,
    });
    return user;
  }

  /** Creates a partner guest invite link for one board: returns it and the link's secret (shown once). */
  async createGuestInvite(
    by: UserRecord,
    input: { boardId: string; role: GuestRole; label: string; expiresInHours: number },
  ): Promise<{ invite: GuestInviteRecord; secret: string }> {
    const secret = newSecret();
    const now = new Date();
    const invite: GuestInviteRecord = {
      id: newId(),
      boardId: input.boardId,
      tokenHash: hashSecret(secret),
      role: input.role,
      label: input.label,
      createdBy: by.id,
      createdByName: by.name,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + input.expiresInHours * 3600 * 1000).toISOString(),
      revokedAt: null,
      guestCount: 0,
    };
    await this.#invitations.createGuestInvite(invite);
    return { invite, secret };
  }

  /** The guest invite behind a link, or why it cannot be used. */
  async findGuestInvite(secret: string): Promise<GuestInviteRecord | LinkProblem> {
    const invite = await this.#invitations.findGuestInviteByToken(hashSecret(secret));
    if (!invite) return 'not_found';
    return linkProblem(invite) ?? invite;
  }

  /** A partner joins through an invite link: a guest identity and a session limited to that board. */
  async joinAsGuest(
    secret: string,
    input: { name: string; organisation?: string; locale: Locale | null },
  ): Promise<{ guest: GuestRecord; invite: GuestInviteRecord; sessionSecret: string } | LinkProblem> {
    const invite = await this.findGuestInvite(secret);
    if (typeof invite === 'string') return invite;
    const guest: GuestRecord = {
      id: newId(),
      inviteId: invite.id,
      name: input.name,
      organisation: input.organisation?.trim() || null,
      locale: input.locale,
      joinedAt: new Date().toISOString(),
      revokedAt: null,
    };
    await this.#invitations.createGuest(guest);
    const sessionSecret = newSecret();
    await this.#invitations.createGuestSession(hashSecret(sessionSecret), guest.id);
    return { guest, invite, sessionSecret };
  }

  /** Opens a session; returns the cookie value and its expiry. */
  async openSession(userId: string): Promise<{ secret: string; expiresAt: Date }> {
    const secret = newSecret();
    const expiresAt = new Date(Date.now() + this.#sessionDays * 24 * 3600 * 1000);
    await this.#people.createSession(hashSecret(secret), userId, expiresAt.toISOString());
    return { secret, expiresAt };
  }

  /** Ends a member's or a guest's session. */
  async closeSession(secret: string): Promise<void> {
    await this.#people.deleteSession(hashSecret(secret));
    await this.#invitations.deleteGuestSession(hashSecret(secret));
  }

  /** Creates a personal API token; the secret is returned once and never stored. */
  async createApiToken(userId: string, name: string): Promise<{ secret: string; id: string; createdAt: string }> {
    const secret = API_TOKEN_PREFIX + newSecret();
    const id = newId();
    const createdAt = new Date().toISOString();
    await this.#people.createApiToken({ id, userId, name, tokenHash: hashSecret(secret), createdAt });
    return { secret, id, createdAt };
  }

  async #principalForSession(secret: string): Promise<Principal | null> {
    const sessionHash = hashSecret(secret);
    const session = await this.#people.findSession(sessionHash);
    if (session) {
      if (Date.parse(session.expiresAt) <= Date.now()) {
        await this.#people.deleteSession(sessionHash);
        return null;
      }
      const user = await this.#people.findUserById(session.userId);
      if (!user || user.deactivatedAt !== null) return null;
      return { kind: 'member', id: user.id, name: user.name, user, via: 'session', sessionHash, expiresAt: session.expiresAt };
    }
    const guestSession = await this.#invitations.findGuestSession(sessionHash);
    if (!guestSession) return null;
    return this.guestPrincipal(guestSession.guestId, sessionHash);
  }

  /** A guest's principal while their invite and identity are valid; null once revoked or expired. */
  async guestPrincipal(guestId: string, sessionHash: string): Promise<GuestPrincipal | null> {
    const guest = await this.#invitations.getGuest(guestId);
    if (!guest || guest.revokedAt !== null) return null;
    const invite = await this.#invitations.getGuestInvite(guest.inviteId);
    if (!invite || linkProblem(invite) !== null) return null;
    return { kind: 'guest', id: guest.id, name: guest.name, guest, invite, via: 'session', sessionHash, expiresAt: invite.expiresAt };
  }

  async #principalForToken(secret: string): Promise<MemberPrincipal | null> {
    if (!secret.startsWith(API_TOKEN_PREFIX)) return null;
    const token = await this.#people.findApiToken(hashSecret(secret));
    if (!token) return null;
    const user = await this.#people.findUserById(token.userId);
    if (!user || user.deactivatedAt !== null) return null;
    await this.#recordTokenUse(token.id);
    return { kind: 'member', id: user.id, name: user.name, user, via: 'token', sessionHash: null, tokenId: token.id, expiresAt: null };
  }

  /**
   * Records when a token was last used, at most once a minute per token and process: a script calling
   * the API in a loop would otherwise wait for a stored (and fsynced) write on each of its requests,
   * for a date the settings page shows to the minute.
   */
  async #recordTokenUse(tokenId: string): Promise<void> {
    const now = Date.now();
    const last = this.#tokenUseRecorded.get(tokenId);
    if (last !== undefined && now - last < TOKEN_USE_RECORD_INTERVAL_MS) return;
    if (this.#tokenUseRecorded.size >= MAX_TOKENS_REMEMBERED) {
      for (const [id, at] of this.#tokenUseRecorded) if (now - at >= TOKEN_USE_RECORD_INTERVAL_MS) this.#tokenUseRecorded.delete(id);
      if (this.#tokenUseRecorded.size >= MAX_TOKENS_REMEMBERED) this.#tokenUseRecorded.clear();
    }
    this.#tokenUseRecorded.set(tokenId, now);
    await this.#people.touchApiToken(tokenId, new Date(now).toISOString());
  }

  /**
   * A principal as it is now, for a connection that outlives the request that authenticated it: a
   * member's account read again (administrator role, departments, name), a guest's invite and
   * identity checked again; null once the account is deactivated or the guest's access ended.
   * Ending a session or revoking a token is not detected here: that ends the connections itself.
   */
  async currentPrincipal(principal: Principal): Promise<Principal | null> {
    if (principal.kind === 'guest') return this.guestPrincipal(principal.id, principal.sessionHash);
    const user = await this.#people.findUserById(principal.id);
    if (!user || user.deactivatedAt !== null) return null;
    return { ...principal, name: user.name, user };
  }

  /**
   * Authenticates an HTTP request or WebSocket upgrade: `Authorization: Bearer <token>`, then (when
   * allowed) `?token=` in the URL, then the session cookie. The cookie only counts when the request
   * comes from our own origin, which stops another site from opening a socket with it.
   */
  async authenticate(request: IncomingMessage, options: { allowQueryToken?: boolean } = {}): Promise<Principal | null> {
    const authorization = request.headers.authorization;
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      return match ? this.#principalForToken(match[1]) : null;
    }
    if (options.allowQueryToken) {
      const token = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token');
      if (token !== null) return this.#principalForToken(token);
    }
    const secret = sessionSecretOf(request);
    if (!secret || !isSameOrigin(request)) return null;
    return this.#principalForSession(secret);
  }
}

/** The session cookie of a request, if any. */
export function sessionSecretOf(request: IncomingMessage): string | undefined {
  const header = request.headers.cookie;
  return header ? parseCookie(header)[SESSION_COOKIE] : undefined;
}

/** A request without an Origin header (same-origin GET, scripts) or whose Origin matches its Host. */
export function isSameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
