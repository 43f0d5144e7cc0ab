import type { ApiTokenSummary, BoardSummary, Department, Locale } from '@passerelle/shared';

/** A person's account as stored. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  isAdmin: boolean;
  locale: Locale | null;
  departments: Department[];
  createdAt: string;
}

/** An email already belongs to an account. */
export class EmailTakenError extends Error {
  constructor() {
    super('email_taken');
    this.name = 'EmailTakenError';
  }
}

/**
 * People, sessions, API tokens and the list of boards. Tokens are only ever stored as hashes.
 * Asynchronous so that a networked implementation fits.
 */
export interface AccountStore {
  countUsers(): Promise<number>;
  /** Creates the account; rejects with `EmailTakenError` when the email is in use. */
  createUser(user: UserRecord): Promise<void>;
  /** Creates the account only if no account exists yet (first administrator); false otherwise. */
  createFirstUser(user: UserRecord): Promise<boolean>;
  findUserByEmail(email: string): Promise<UserRecord | undefined>;
  findUserById(id: string): Promise<UserRecord | undefined>;
  updateUser(id: string, patch: { name?: string; locale?: Locale | null; departments?: Department[] }): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;

  createSession(tokenHash: string, userId: string, expiresAt: string): Promise<void>;
  findSession(tokenHash: string): Promise<{ userId: string; expiresAt: string } | undefined>;
  deleteSession(tokenHash: string): Promise<void>;

  createApiToken(token: { id: string; userId: string; name: string; tokenHash: string; createdAt: string }): Promise<void>;
  findApiToken(tokenHash: string): Promise<{ id: string; userId: string } | undefined>;
  touchApiToken(id: string, usedAt: string): Promise<void>;
  listApiTokens(userId: string): Promise<ApiTokenSummary[]>;
  deleteApiToken(userId: string, id: string): Promise<boolean>;

  createBoard(board: BoardSummary): Promise<void>;
  getBoard(id: string): Promise<BoardSummary | undefined>;
  listBoards(): Promise<BoardSummary[]>;
  renameBoard(id: string, title: string, updatedAt: string): Promise<BoardSummary | undefined>;
  deleteBoard(id: string): Promise<boolean>;
  close(): Promise<void>;
}
