/**
 * The one typed client of the JSON API. Every call is same-origin with the session cookie; every
 * failure becomes an `ApiError` whose `code` is an `ApiErrorCode` or `network`.
 */
import {
  ApiErrorCode,
  type ApiErrorBody,
  type ApiTokenSummary,
  type BoardSummary,
  type ChangePasswordRequest,
  type CreateBoardRequest,
  type CreateTokenRequest,
  type CreateUserRequest,
  type LoginRequest,
  type MailPreferences,
  type UnsubscribeScope,
  type MailSettings,
  type Me,
  type PasswordResetConfirmRequest,
  type PasswordResetRequest,
  type Person,
  type RenameBoardRequest,
  type SearchHit,
  type SetupRequest,
  type SignInMethods,
  type UpdateMeRequest,
  type UpdateUserRequest,
} from '@passerelle/shared';

/** An error code the web app can translate: the server's codes plus a failed fetch. */
export type ClientErrorCode = ApiErrorCode | 'network';

/** A failed API call. `status` is 0 when the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
    message: string,
    readonly details: ApiErrorBody['error']['details'] = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What `POST /api/tokens` returns: the summary plus the secret, shown only once. */
export interface CreatedToken extends ApiTokenSummary {
  token: string;
}

/** Sends one JSON request and returns the parsed answer; every failure becomes an `ApiError`. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : 'fetch failed');
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw toApiError(response.status, payload);
  return payload as T;
}

function toApiError(status: number, payload: unknown): ApiError {
  const error = (payload as Partial<ApiErrorBody> | undefined)?.error;
  const knownCode = (ApiErrorCode as readonly string[]).includes(error?.code ?? '');
  // A proxy's HTML error page or an unknown code still gets a sensible, translatable code.
  const code: ApiErrorCode = knownCode ? error!.code : status === 401 ? 'unauthorized' : status === 404 ? 'not_found' : 'internal';
  return new ApiError(status, code, error?.message ?? `HTTP ${status}`, error?.details);
}

const json = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: (path: string) => request<void>('DELETE', path),
};

const boardPath = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}`;

/** The API, one function per endpoint. */
export const api = {
  setupStatus: () => json.get<{ needsSetup: boolean }>('/api/auth/setup-status'),
  setup: (body: SetupRequest) => json.post<Me>('/api/auth/setup', body),
  /** The single sign-on button to offer, and whether passwords are for the break-glass administrator only. */
  signInMethods: () => json.get<SignInMethods>('/api/auth/methods'),
  login: (body: LoginRequest) => json.post<Me>('/api/auth/login', body),
  logout: () => json.post<void>('/api/auth/logout'),
  me: () => json.get<Me>('/api/auth/me'),
  updateMe: (body: UpdateMeRequest) => json.patch<Me>('/api/auth/me', body),
  /** Changes the signed-in person's password; their other sessions end. */
  changePassword: (body: ChangePasswordRequest) => json.post<void>('/api/auth/password', body),
  /** Whether this server sends e-mail, so that a forgotten password can be reset. */
  passwordResetStatus: () => json.get<{ available: boolean }>('/api/auth/password-reset'),
  /** Asks for a reset e-mail; accepted whether or not the address has an account. */
  requestPasswordReset: (body: PasswordResetRequest) => json.post<void>('/api/auth/password-reset', body),
  confirmPasswordReset: (body: PasswordResetConfirmRequest) => json.post<void>('/api/auth/password-reset/confirm', body),

  /** The signed-in person's e-mail choices per kind, and whether this server sends e-mail at all. */
  mailPreferences: () => json.get<{ preferences: MailPreferences; mailEnabled: boolean }>('/api/auth/mail-preferences'),
  setMailPreferences: (body: MailPreferences) => json.put<{ preferences: MailPreferences; mailEnabled: boolean }>('/api/auth/mail-preferences', body),
  /** Follows an e-mail's unsubscribe link (no sign-in needed). */
  unsubscribe: (token: string) => json.post<{ kind: UnsubscribeScope }>('/api/mail/unsubscribe', { token }),

  /** Administrators: whether e-mail goes out, and the messages failing. */
  mailSettings: () => json.get<MailSettings>('/api/mail'),
  sendTestMail: () => json.post<{ id: string; to: string }>('/api/mail/test'),

  listBoards: () => json.get<{ boards: BoardSummary[] }>('/api/boards'),
  createBoard: (body: CreateBoardRequest) => json.post<BoardSummary>('/api/boards', body),
  getBoard: (boardId: string) => json.get<BoardSummary>(boardPath(boardId)),
  renameBoard: (boardId: string, body: RenameBoardRequest) => json.patch<BoardSummary>(boardPath(boardId), body),
  deleteBoard: (boardId: string) => json.delete(boardPath(boardId)),

  /** Proposals, notes, roadmap and action items of every board whose text contains `q` (2 to 100 characters). */
  search: (q: string) => json.get<{ hits: SearchHit[] }>(`/api/search?q=${encodeURIComponent(q)}`),

  listTokens: () => json.get<{ tokens: ApiTokenSummary[] }>('/api/tokens'),
  createToken: (body: CreateTokenRequest) => json.post<CreatedToken>('/api/tokens', body),
  revokeToken: (tokenId: string) => json.delete(`/api/tokens/${encodeURIComponent(tokenId)}`),

  /** Administrators only: every account, with emails and roles. */
  listUsers: () => json.get<{ users: Me[] }>('/api/users'),
  /** Everyone in the workspace, with their departments (for owners, sign-off names). */
  listPeople: () => json.get<{ people: Person[] }>('/api/people'),
  /** Administrators only: a new (non-administrator) account with a temporary password. */
  createUser: (body: CreateUserRequest) => json.post<Me>('/api/users', body),
  /** Administrators only: renames someone or sets their departments. */
  updateUser: (userId: string, body: UpdateUserRequest) => json.patch<Me>(`/api/users/${encodeURIComponent(userId)}`, body),
};
