import express, { type Request, type RequestHandler, type Response } from 'express';
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
  type BoardSummary,
  type SearchHit,
} from '@passerelle/shared';
import { sessionSecretOf, toMe, type AuthService } from '../auth/auth-service.js';
import { EmailTakenError, type AccountStore } from '../store/account-store.js';
import { ApiError, parseBody } from './errors.js';

export interface ApiOptions {
  auth: AuthService;
  accounts: AccountStore;
  maxJsonBodyBytes: number;
  secureCookies: boolean;
  /** Tells every connected client that the list of boards changed. */
  publishBoardEvent: (event: BoardListEvent) => void;
  /** Drops a deleted board's live room and stored document. */
  deleteBoardDocument: (boardId: string) => Promise<void>;
  /** Finds a text (case and accents ignored) in the content of every board. */
  searchBoards: (query: string) => Promise<SearchHit[]>;
  /** Runs once the first administrator was created from the setup page. */
  onFirstAdmin?: (user: { id: string; name: string }) => Promise<void>;
}

/** The JSON API under `/api`. */
export function createApiRouter(options: ApiOptions): express.Router {
  const { auth, accounts } = options;
  const router = express.Router();
  router.use(express.json({ limit: options.maxJsonBodyBytes }));

  // Who is calling; routes that need someone use `requireUser`.
  router.use(async (request, _response, next) => {
    request.principal = (await auth.authenticate(request)) ?? undefined;
    next();
  });
  const requireUser: RequestHandler = (request, _response, next) => {
    next(request.principal ? undefined : new ApiError('unauthorized'));
  };
  const requireAdmin: RequestHandler = (request, _response, next) => {
    if (!request.principal) next(new ApiError('unauthorized'));
    else next(request.principal.user.isAdmin ? undefined : new ApiError('forbidden'));
  };

  const setSessionCookie = (response: Response, secret: string, expiresAt: Date) => {
    response.cookie(SESSION_COOKIE, secret, {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secureCookies,
      path: '/',
      expires: expiresAt,
    });
  };
  const signIn = async (response: Response, userId: string) => {
    const session = await auth.openSession(userId);
    setSessionCookie(response, session.secret, session.expiresAt);
  };

  router.get('/auth/setup-status', async (_request, response) => {
    response.json({ needsSetup: await auth.needsSetup() });
  });

  router.post('/auth/setup', async (request, response) => {
    const input = parseBody(SetupRequest, request.body);
    const user = await auth.completeSetup(input);
    if (!user) throw new ApiError('setup_not_available');
    await options.onFirstAdmin?.(user);
    await signIn(response, user.id);
    response.status(201).json(toMe(user));
  });

  router.post('/auth/login', async (request, response) => {
    const input = parseBody(LoginRequest, request.body);
    const user = await auth.checkPassword(input.email, input.password);
    if (!user) throw new ApiError('invalid_credentials');
    await signIn(response, user.id);
    response.json(toMe(user));
  });

  router.post('/auth/logout', async (request, response) => {
    const secret = sessionSecretOf(request);
    if (secret) await auth.closeSession(secret);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    response.status(204).end();
  });

  router.get('/auth/me', requireUser, (request, response) => {
    response.json(toMe(request.principal!.user));
  });

  router.patch('/auth/me', requireUser, async (request, response) => {
    const patch = parseBody(UpdateMeRequest, request.body);
    const user = await accounts.updateUser(request.principal!.user.id, patch);
    if (!user) throw new ApiError('not_found');
    response.json(toMe(user));
  });

  // Who works in the workspace, for owners, mentions and sign-off panels: names and departments only.
  router.get('/people', requireUser, async (_request, response) => {
    const users = await accounts.listUsers();
    response.json({ people: users.map((user) => ({ id: user.id, name: user.name, departments: user.departments })) });
  });

  router.get('/users', requireAdmin, async (_request, response) => {
    response.json({ users: (await accounts.listUsers()).map(toMe) });
  });

  router.post('/users', requireAdmin, async (request, response) => {
    const input = parseBody(CreateUserRequest, request.body);
    try {
      const user = await auth.createUser({ ...input, isAdmin: false });
      response.status(201).json(toMe(user));
    } catch (error) {
      if (error instanceof EmailTakenError) throw new ApiError('email_taken');
      throw error;
    }
  });

  router.patch('/users/:userId', requireAdmin, async (request, response) => {
    const patch = parseBody(UpdateUserRequest, request.body);
    const user = await accounts.updateUser(String(request.params.userId), patch);
    if (!user) throw new ApiError('not_found');
    response.json(toMe(user));
  });

  router.get('/boards', requireUser, async (_request, response) => {
    response.json({ boards: await accounts.listBoards() });
  });

  router.post('/boards', requireUser, async (request, response) => {
    const { title } = parseBody(CreateBoardRequest, request.body);
    const now = new Date().toISOString();
    const board: BoardSummary = { id: newId(), title, createdBy: request.principal!.user.id, createdAt: now, updatedAt: now };
    await accounts.createBoard(board);
    options.publishBoardEvent({ type: 'created', board });
    response.status(201).json(board);
  });

  const boardIdParam = (request: Request): string => {
    const id = String(request.params.boardId);
    if (!isId(id)) throw new ApiError('not_found');
    return id;
  };

  router.get('/boards/:boardId', requireUser, async (request, response) => {
    const board = await accounts.getBoard(boardIdParam(request));
    if (!board) throw new ApiError('not_found');
    response.json(board);
  });

  router.patch('/boards/:boardId', requireUser, async (request, response) => {
    const id = boardIdParam(request);
    const { title } = parseBody(RenameBoardRequest, request.body);
    const board = await accounts.renameBoard(id, title, new Date().toISOString());
    if (!board) throw new ApiError('not_found');
    options.publishBoardEvent({ type: 'renamed', board });
    response.json(board);
  });

  router.delete('/boards/:boardId', requireUser, async (request, response) => {
    const id = boardIdParam(request);
    if (!(await accounts.getBoard(id))) throw new ApiError('not_found');
    // The document first: if that fails, the board is still listed and can be deleted again.
    await options.deleteBoardDocument(id);
    await accounts.deleteBoard(id);
    options.publishBoardEvent({ type: 'deleted', boardId: id });
    response.status(204).end();
  });

  router.get('/search', requireUser, async (request, response) => {
    const { q } = parseBody(SearchQuery, request.query);
    const hits: SearchHit[] = await options.searchBoards(q);
    response.json({ hits });
  });

  router.get('/tokens', requireUser, async (request, response) => {
    response.json({ tokens: await accounts.listApiTokens(request.principal!.user.id) });
  });

  router.post('/tokens', requireUser, async (request, response) => {
    const { name } = parseBody(CreateTokenRequest, request.body);
    const created = await auth.createApiToken(request.principal!.user.id, name);
    response.status(201).json({ token: created.secret, id: created.id, name, createdAt: created.createdAt, lastUsedAt: null });
  });

  router.delete('/tokens/:tokenId', requireUser, async (request, response) => {
    const deleted = await accounts.deleteApiToken(request.principal!.user.id, String(request.params.tokenId));
    if (!deleted) throw new ApiError('not_found');
    response.status(204).end();
  });

  router.use((_request, _response, next) => next(new ApiError('not_found')));
  return router;
}
