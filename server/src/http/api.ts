import express, { type Request, type Response } from 'express';
import {
  CreateBoardRequest,
  CreateTokenRequest,
  CreateUserRequest,
  LoginRequest,
  RenameBoardRequest,
  SearchQuery,
  SESSION_COOKIE,
  SetupRequest,
  UpdateMeRequest,
  UpdateUserRequest,
  isId,
  newId,
  type BoardListEvent,
  type BoardRole,
  type BoardSummary,
  type SearchHit,
  type Locale,
} from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import type { LiveAccess } from '../access/live-access.js';
import { hashSecret, meOf, sessionSecretOf, toMe, type AuthService, type Principal } from '../auth/auth-service.js';
import type { LoginLimiter } from '../auth/login-limiter.js';
import type { PasswordResets, ResetLimiter } from '../auth/password-reset.js';
import type { MailService } from '../mail/mail-service.js';
import { EmailTakenError, type AccountStores } from '../store/account-store.js';
import { createAccessRoutes } from './access-routes.js';
import { createMailRoutes } from './mail-routes.js';
import { createPasswordRoutes } from './password-routes.js';
import { mountSsoRoutes, type SsoRouteOptions } from './sso-routes.js';
import type { Audit } from './audit.js';
import { ApiError, parseBody, requestLocale } from './errors.js';
import { invitationMail } from '../mail/messages.js';
import { SEARCH_RETRY_AFTER_SECONDS, SearchLimiter, type SearchLimits } from './search.js';
import { boardRoleOf, memberOf, requireAdmin, requireMember, requirePrincipal } from './guards.js';

export interface ApiOptions {
  auth: AuthService;
  /** People and boards here; invitations, guests and the audit log in the access routes. */
  accounts: AccountStores;
  access: BoardAccess;
  audit: Audit;
  loginLimiter: LoginLimiter;
  /** Counts password reset requests per e-mail address and per client. */
  resetLimiter: ResetLimiter;
  resets: PasswordResets;
  /** Sends e-mail, when `SMTP_URL` is set. */
  mail: MailService;
  /** The sender e-mail shows (`MAIL_FROM`), null without e-mail. */
  mailFrom: string | null;
  /** Runs work that follows an answer already sent (a reset e-mail); its failure is logged. */
  background: (work: Promise<unknown>, what: string) => void;
  /** Told of each failed sign-in (metrics). */
  onLoginFailure?: (reason: 'invalid_credentials' | 'too_many_attempts') => void;
  live: LiveAccess;
  maxJsonBodyBytes: number;
  /** Always mark cookies Secure (they are also Secure on any request that came over TLS). */
  secureCookies: boolean;
  /** The public base URL for links (invitations); else the request's own origin. */
  publicUrl: string | null;
  /** Tells the clients who may see a board that the list of boards changed. */
  publishBoardEvent: (event: BoardListEvent) => void;
  /** Drops a deleted board's live room and stored document. */
  deleteBoardDocument: (boardId: string) => Promise<void>;
  /** Finds the words of a query in what a person may see (`createSearch`), best first. */
  search: (principal: Principal, query: string) => Promise<SearchHit[]>;
  /** Searches running at once, per person and on this process (default `DEFAULT_SEARCH_LIMITS`). */
  searchLimits?: Partial<SearchLimits>;
  /** Runs once the first administrator was created from the setup page. */
  onFirstAdmin?: (user: { id: string; name: string }) => Promise<void>;
  /** Single sign-on through OpenID Connect, when configured. */
  oidc?: SsoRouteOptions['oidc'];
  /** Single sign-on through SAML 2.0, when configured. */
  saml?: SsoRouteOptions['saml'];
  /** `AUTH_REQUIRE_SSO`: password sign-in for the break-glass administrator only. */
  requireSso?: SsoRouteOptions['requireSso'];
  /** More routes for signed-in people, mounted after authentication (collaboration, meetings). */
  extraRoutes?: express.Router[];
}

/** Ends or refreshes live connections (sync and socket.io) when access changes. */

/** The JSON API under `/api`. */
export function createApiRouter(options: ApiOptions): express.Router {
  const { auth, accounts, access, audit } = options;
  const { people, directory } = accounts;
  const router = express.Router();
  router.use(express.json({ limit: options.maxJsonBodyBytes }));

  // Who is calling; routes that need someone use `requireMember`, `requireAdmin` or a role check.
  router.use(async (request, _response, next) => {
    request.principal = (await auth.authenticate(request)) ?? undefined;
    next();
  });

  const setSessionCookie = (request: Request, response: Response, secret: string, expiresAt: Date | null) => {
    response.cookie(SESSION_COOKIE, secret, {
      httpOnly: true,
      sameSite: 'lax',
      // Behind TLS (directly or through a proxy we trust) the cookie never travels in clear.
      secure: options.secureCookies || request.secure,
      path: '/',
      ...(expiresAt ? { expires: expiresAt } : {}),
    });
  };
  const signIn = async (request: Request, response: Response, userId: string) => {
    const session = await auth.openSession(userId);
    setSessionCookie(request, response, session.secret, session.expiresAt);
  };
  const linkBase = (request: Request) => options.publicUrl ?? `${request.protocol}://${request.get('host')}`;

  router.get('/auth/setup-status', async (_request, response) => {
    response.json({ needsSetup: await auth.needsSetup() });
  });

  router.post('/auth/setup', async (request, response) => {
    const input = parseBody(SetupRequest, request.body);
    const user = await auth.completeSetup(input);
    if (!user) throw new ApiError('setup_not_available');
    await options.onFirstAdmin?.(user);
    await audit.record(request, 'setup_completed', { actor: user, target: user.email });
    await signIn(request, response, user.id);
    response.status(201).json(toMe(user));
  });

  router.post('/auth/login', async (request, response) => {
    const input = parseBody(LoginRequest, request.body);
    // The client address as the trusted proxies (TRUST_PROXY) report it, else the peer's.
    const attempt = await options.loginLimiter.attempt(input.email, request.ip ?? 'unknown');
    if (attempt.wait > 0) {
      options.onLoginFailure?.('too_many_attempts');
      response.setHeader('Retry-After', String(attempt.wait));
      throw new ApiError('too_many_attempts');
    }
    // Checked before the password, so that a refused person learns where to sign in instead.
    if (options.requireSso && input.email !== options.requireSso.breakGlassEmail) {
      await audit.record(request, 'login_failed', { actor: null, target: input.email, details: { reason: 'sso_required' } });
      throw new ApiError('sso_required');
    }
    const user = await auth.checkPassword(input.email, input.password);
    if (!user) {
      options.onLoginFailure?.('invalid_credentials');
      await audit.record(request, attempt.throttles ? 'login_locked' : 'login_failed', { actor: null, target: input.email });
      throw new ApiError('invalid_credentials');
    }
    await options.loginLimiter.recordSuccess(attempt);
    await audit.record(request, 'login_succeeded', { actor: user, target: user.email });
    await signIn(request, response, user.id);
    response.json(toMe(user));
  });

  mountSsoRoutes(router, {
    oidc: options.oidc ?? null,
    saml: options.saml ?? null,
    maxBodyBytes: options.maxJsonBodyBytes,
    requireSso: options.requireSso ?? null,
    people,
    audit,
    secureCookies: options.secureCookies,
    linkBase,
    signIn,
  });

  router.post('/auth/logout', async (request, response) => {
    const secret = sessionSecretOf(request);
    if (secret) {
      await auth.closeSession(secret);
      const hash = hashSecret(secret);
      options.live.end({ session: hash }, 'revoked');
      if (request.principal) await audit.record(request, 'logout', { target: request.principal.id });
    }
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    response.status(204).end();
  });

  router.use(
    createPasswordRoutes({
      auth,
      people,
      audit,
      live: options.live,
      loginLimiter: options.loginLimiter,
      resetLimiter: options.resetLimiter,
      resets: options.resets,
      mail: options.mail,
      linkBase,
      background: options.background,
      requireSso: options.requireSso ?? null,
    }),
  );

  router.use(createMailRoutes({ mail: options.mail, outbox: accounts.mail, people, from: options.mailFrom, linkBase }));

  router.get('/auth/me', requirePrincipal, async (request, response) => {
    const principal = request.principal!;
    const title = principal.kind === 'guest' ? ((await directory.getBoard(principal.invite.boardId))?.title ?? '') : '';
    response.json(meOf(principal, title));
  });

  router.patch('/auth/me', requirePrincipal, async (request, response) => {
    const patch = parseBody(UpdateMeRequest, request.body);
    const principal = request.principal!;
    if (principal.kind === 'guest') {
      // A partner guest may change their language and nothing else about themselves: their name is
      // the one the board's people and its audit log know them by.
      if (patch.name !== undefined) throw new ApiError('forbidden');
      const guest = patch.locale === undefined ? principal.guest : await accounts.invitations.setGuestLocale(principal.id, patch.locale);
      if (!guest) throw new ApiError('not_found');
      const board = await directory.getBoard(principal.invite.boardId);
      response.json(meOf({ ...principal, guest }, board?.title ?? ''));
      return;
    }
    const user = await people.updateUser(principal.id, patch);
    if (!user) throw new ApiError('not_found');
    response.json(toMe(user));
  });

  // Who works in the workspace, for owners, mentions and sign-off panels: names and departments
  // only, active members only; guests never see the school's people.
  router.get('/people', requireMember, async (_request, response) => {
    const users = (await people.listUsers()).filter((user) => user.deactivatedAt === null);
    response.json({ people: users.map((user) => ({ id: user.id, name: user.name, departments: user.departments })) });
  });

  router.get('/users', requireAdmin, async (_request, response) => {
    response.json({ users: (await people.listUsers()).map(toMe) });
  });

  router.post('/users', requireAdmin, async (request, response) => {
    const input = parseBody(CreateUserRequest, request.body);
    try {
      const user = await auth.createUser({ ...input, isAdmin: false });
      await audit.record(request, 'invitation_accepted', { target: user.email, details: { created: 'directly' } });
      response.status(201).json(toMe(user));
    } catch (error) {
      if (error instanceof EmailTakenError) throw new ApiError('email_taken');
      throw error;
    }
  });

  router.patch('/users/:userId', requireAdmin, async (request, response) => {
    const patch = parseBody(UpdateUserRequest, request.body);
    const userId = String(request.params.userId);
    const before = await people.findUserById(userId);
    if (!before) throw new ApiError('not_found');
    // An administrator cannot lock themselves out (nor leave the workspace without an administrator).
    if (userId === memberOf(request).id && (patch.active === false || patch.isAdmin === false)) throw new ApiError('forbidden');
    const { active, ...rest } = patch;
    const user = await people.updateUser(userId, {
      ...rest,
      ...(active === undefined ? {} : { deactivatedAt: active ? null : (before.deactivatedAt ?? new Date().toISOString()) }),
    });
    if (!user) throw new ApiError('not_found');
    if (active === false && before.deactivatedAt === null) {
      await people.deleteSessionsOf(userId);
      options.live.end({ member: userId }, 'deactivated');
      await audit.record(request, 'member_deactivated', { target: user.email });
    } else if (active === true && before.deactivatedAt !== null) {
      await audit.record(request, 'member_reactivated', { target: user.email });
    }
    if (patch.isAdmin !== undefined && patch.isAdmin !== before.isAdmin) {
      await audit.record(request, 'admin_changed', { target: user.email, details: { isAdmin: patch.isAdmin } });
      options.live.refreshPerson(userId);
    }
    if (patch.managesAgreements !== undefined && patch.managesAgreements !== before.managesAgreements) {
      await audit.record(request, 'agreements_manager_changed', { target: user.email, details: { managesAgreements: patch.managesAgreements } });
      options.live.refreshPerson(userId);
    }
    if (patch.departments !== undefined && patch.departments.join() !== before.departments.join()) {
      await audit.record(request, 'departments_changed', { target: user.email, details: { departments: patch.departments.join(',') } });
      options.live.refreshPerson(userId);
    }
    response.json(toMe(user));
  });

  router.get('/boards', requirePrincipal, async (request, response) => {
    const boards = await directory.listBoards();
    const roles = await access.rolesOf(request.principal!, boards.map((board) => board.id));
    response.json({ boards: boards.filter((board) => roles.has(board.id)).map((board) => ({ ...board, role: roles.get(board.id) })) });
  });

  router.post('/boards', requireMember, async (request, response) => {
    const { title } = parseBody(CreateBoardRequest, request.body);
    const now = new Date().toISOString();
    const me = memberOf(request);
    const board: BoardSummary = { id: newId(), title, createdBy: me.id, createdAt: now, updatedAt: now };
    await directory.createBoard(board);
    await directory.setBoardMember(board.id, me.id, 'owner');
    options.publishBoardEvent({ type: 'created', board });
    response.status(201).json({ ...board, role: 'owner' satisfies BoardRole });
  });

  const boardIdParam = (request: Request): string => {
    const id = String(request.params.boardId);
    if (!isId(id)) throw new ApiError('not_found');
    return id;
  };

  /** The caller's role on the board in the path; 404 when they may not see it, so its existence is not revealed. */
  const roleOnBoard = (request: Request, minimum: BoardRole = 'viewer') => boardRoleOf(access, request, minimum);

  router.get('/boards/:boardId', requirePrincipal, async (request, response) => {
    const { boardId, role } = await roleOnBoard(request);
    const board = await directory.getBoard(boardId);
    if (!board) throw new ApiError('not_found');
    response.json({ ...board, role });
  });

  router.patch('/boards/:boardId', requireMember, async (request, response) => {
    const { boardId, role } = await roleOnBoard(request, 'owner');
    const { title } = parseBody(RenameBoardRequest, request.body);
    const board = await directory.renameBoard(boardId, title, new Date().toISOString());
    if (!board) throw new ApiError('not_found');
    options.publishBoardEvent({ type: 'renamed', board });
    response.json({ ...board, role });
  });

  router.delete('/boards/:boardId', requireMember, async (request, response) => {
    const { boardId } = await roleOnBoard(request, 'owner');
    // The document first: if that fails, the board is still listed and can be deleted again.
    await options.deleteBoardDocument(boardId);
    await directory.deleteBoard(boardId);
    options.publishBoardEvent({ type: 'deleted', boardId });
    response.status(204).end();
  });

  // Accepting a member invitation sets a password and signs in with it: with single sign-on
  // required, the invited person signs in through the provider instead (the account is matched by address).
  router.post('/invitations/by-token/:token/accept', (_request, _response, next) => {
    next(options.requireSso ? new ApiError('sso_required') : undefined);
  });
  const mailInvitation = async (request: Request, invitation: { to: string; url: string; inviterName: string; expiresAt: string; boardTitle?: string; locale?: Locale }) => {
    if (!options.mail.enabled) return false;
    // The language the inviter chose for the invited person, else the inviter's own.
    const message = invitationMail({ ...invitation, locale: invitation.locale ?? requestLocale(request), appUrl: linkBase(request) });
    return (await options.mail.send(message, invitation.boardTitle === undefined ? 'invitation' : 'guest_invitation')) !== null;
  };
  router.use(createAccessRoutes({ auth, accounts, access, audit, live: options.live, linkBase, roleOnBoard, setSessionCookie, mailInvitation }));

  const searches = new SearchLimiter(options.searchLimits);
  // Guests too: they find the shared content of their board, and nothing else (`createSearch`).
  router.get('/search', requirePrincipal, async (request, response) => {
    const { q } = parseBody(SearchQuery, request.query);
    const release = searches.enter(request.principal!.id);
    if (!release) {
      response.setHeader('Retry-After', String(SEARCH_RETRY_AFTER_SECONDS));
      throw new ApiError('search_busy');
    }
    try {
      const hits: SearchHit[] = await options.search(request.principal!, q);
      response.json({ hits });
    } finally {
      release();
    }
  });

  router.get('/tokens', requireMember, async (request, response) => {
    response.json({ tokens: await people.listApiTokens(memberOf(request).id) });
  });

  router.post('/tokens', requireMember, async (request, response) => {
    const { name } = parseBody(CreateTokenRequest, request.body);
    const created = await auth.createApiToken(memberOf(request).id, name);
    await audit.record(request, 'token_created', { target: created.id, details: { name } });
    response.status(201).json({ token: created.secret, id: created.id, name, createdAt: created.createdAt, lastUsedAt: null });
  });

  router.delete('/tokens/:tokenId', requireMember, async (request, response) => {
    const tokenId = String(request.params.tokenId);
    const deleted = await people.deleteApiToken(memberOf(request).id, tokenId);
    if (!deleted) throw new ApiError('not_found');
    // Connections the token opened outlive the requests that checked it: they end too, on every process.
    options.live.end({ token: tokenId }, 'revoked');
    await audit.record(request, 'token_revoked', { target: tokenId });
    response.status(204).end();
  });

  for (const extra of options.extraRoutes ?? []) router.use(extra);

  router.use((_request, _response, next) => next(new ApiError('not_found')));
  return router;
}
