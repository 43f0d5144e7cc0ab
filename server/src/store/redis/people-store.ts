import type { ApiTokenSummary, Department, Locale, MailDelivery, MailPreferenceKind } from '@passerelle/shared';
import { EmailTakenError, type PasswordResetRecord, type PeopleStore, type UserRecord } from '../account-store.js';
import { storedApiToken, storedSession, storedUser } from '../stored-records.js';
import { AccountConstraintError, exists, pairsOf, sortByText, type AccountsKeyspace } from './accounts-keyspace.js';
import { RedisStoreError } from '../redis-connection.js';

/** People, sessions and API tokens in Redis. */
export class RedisPeopleStore implements PeopleStore {
  readonly #ks: AccountsKeyspace;

  constructor(keyspace: AccountsKeyspace) {
    this.#ks = keyspace;
  }

  // ---- People ----------------------------------------------------------------------------------

  async countUsers(): Promise<number> {
    await this.#ks.connected;
    return this.#ks.client.zCard(this.#ks.key('users'));
  }

  async #insertUser(user: UserRecord, onlyFirst: boolean): Promise<boolean> {
    const fields = pairsOf({
      id: user.id,
      email: user.email,
      name: user.name,
      passwordHash: user.passwordHash,
      isAdmin: user.isAdmin ? '1' : '0',
      managesAgreements: user.managesAgreements ? '1' : '0',
      locale: user.locale,
      departments: JSON.stringify(user.departments),
      createdAt: user.createdAt,
      deactivatedAt: user.deactivatedAt,
    });
    const status = await this.#ks.run(
      'CREATE_USER',
      [this.#ks.key('users'), this.#ks.key('users', 'by-email'), this.#ks.key('user', user.id), this.#ks.key('seq')],
      [user.id, user.email, onlyFirst ? '1' : '0', ...fields],
    );
    if (status === 'not_first') return false;
    if (status === 'email_taken') throw new EmailTakenError();
    if (status === 'id_taken') throw new AccountConstraintError('UNIQUE', `user ${user.id} already exists`);
    this.#ks.check(status, [], `user ${user.id}`);
    return true;
  }

  async createUser(user: UserRecord): Promise<void> {
    await this.#insertUser(user, false);
  }

  /** Atomic across processes: of several concurrent calls on an empty store, exactly one creates its account. */
  async createFirstUser(user: UserRecord): Promise<boolean> {
    return this.#insertUser(user, true);
  }

  /**
   * The setup link processes starting on an empty store agree on (`SetupLinkRegistry`): the first
   * secret offered is kept and returned to every process. Only meaningful while no account exists,
   * when it is the one way in; once the administrator exists it is ignored.
   */
  async agreeOnSetupSecret(secret: string): Promise<string> {
    await this.#ks.connected;
    const key = this.#ks.key('setup-secret');
    await this.#ks.client.set(key, secret, { condition: 'NX' });
    const agreed = await this.#ks.client.get(key);
    if (typeof agreed !== 'string') throw new RedisStoreError('the shared setup secret vanished');
    return agreed;
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    await this.#ks.connected;
    const id = await this.#ks.client.hGet(this.#ks.key('users', 'by-email'), email);
    return id === null || id === undefined ? undefined : this.findUserById(id);
  }

  async findUserByExternalId(issuer: string, subject: string): Promise<UserRecord | undefined> {
    await this.#ks.connected;
    const id = await this.#ks.client.hGet(this.#ks.key('external-ids'), `${issuer} ${subject}`);
    return id === null || id === undefined ? undefined : this.findUserById(id);
  }

  async linkExternalId(userId: string, issuer: string, subject: string): Promise<boolean> {
    const keys = [this.#ks.key('user', userId), this.#ks.key('external-ids'), this.#ks.key('user', userId, 'external-ids')];
    const status = await this.#ks.run('LINK_EXTERNAL_ID', keys, [userId, issuer, subject]);
    if (status === 'conflict') return false;
    this.#ks.check(status, [`user ${userId}`], 'external identity');
    return true;
  }

  async findUserById(id: string): Promise<UserRecord | undefined> {
    const fields = await this.#ks.hash(this.#ks.key('user', id));
    return exists(fields) ? storedUser.fromFields(fields) : undefined;
  }

  async updateUser(
    id: string,
    patch: { name?: string; locale?: Locale | null; departments?: Department[]; isAdmin?: boolean; managesAgreements?: boolean; deactivatedAt?: string | null },
  ): Promise<UserRecord | undefined> {
    await this.#ks.patch(this.#ks.key('user', id), {
      departments: patch.departments === undefined ? undefined : JSON.stringify([...new Set(patch.departments)]),
      name: patch.name,
      locale: patch.locale,
      isAdmin: patch.isAdmin === undefined ? undefined : patch.isAdmin ? '1' : '0',
      managesAgreements: patch.managesAgreements === undefined ? undefined : patch.managesAgreements ? '1' : '0',
      deactivatedAt: patch.deactivatedAt,
    });
    return this.findUserById(id);
  }

  async deleteImportedUser(id: string): Promise<boolean> {
    const keys = [
      this.#ks.key('users'),
      this.#ks.key('users', 'by-email'),
      this.#ks.key('user', id),
      this.#ks.key('user', id, 'boards'),
      this.#ks.key('user', id, 'sessions'),
      this.#ks.key('user', id, 'tokens'),
      this.#ks.key('user', id, 'external-ids'),
      this.#ks.key('external-ids'),
    ];
    return (await this.#ks.run('DELETE_IMPORTED_USER', keys, [id])) === 1;
  }

  async listUsers(): Promise<UserRecord[]> {
    const records = await this.#ks.records(await this.#ks.members(this.#ks.key('users')), (id) => this.#ks.key('user', id));
    return sortByText(records.map(storedUser.fromFields), (user) => user.name, 'asc');
  }

  // ---- Sessions and API tokens -------------------------------------------------------------------

  /**
   * The session key expires by itself at `expiresAt` (Redis's clock), so no sweeper is needed; a
   * session past its expiry is then not found, where the SQLite store returns it for the caller to
   * refuse (AuthService treats both alike). An `expiresAt` that is not a date is refused.
   */
  async createSession(tokenHash: string, userId: string, expiresAt: string): Promise<void> {
    const expiresAtMs = Date.parse(expiresAt);
    if (!Number.isFinite(expiresAtMs)) throw new RangeError(`a session's expiresAt must be a date, got ${expiresAt}`);
    const userKey = this.#ks.key('user', userId);
    const status = await this.#ks.run(
      'CREATE_SESSION',
      [userKey, this.#ks.key('session', tokenHash), this.#ks.key('user', userId, 'sessions')],
      [tokenHash, userId, expiresAt, String(Math.floor(expiresAtMs)), new Date().toISOString(), String(Date.now())],
    );
    this.#ks.check(status, [`user ${userId}`], 'session');
  }

  async findSession(tokenHash: string): Promise<{ userId: string; expiresAt: string } | undefined> {
    const fields = await this.#ks.hash(this.#ks.key('session', tokenHash));
    if (!exists(fields)) return undefined;
    return storedSession.fromFields(fields);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.#ks.run('DELETE_SESSION', [this.#ks.key('session', tokenHash)], [tokenHash]);
  }

  async deleteSessionsOf(userId: string, options: { except?: string } = {}): Promise<void> {
    await this.#ks.run('DELETE_SESSIONS_OF', [this.#ks.key('user', userId, 'sessions')], [userId, options.except ?? '']);
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<boolean> {
    return this.#ks.patch(this.#ks.key('user', userId), { passwordHash });
  }

  /**
   * A reset link is one key holding `userId expiresAt`, expiring by itself at `expiresAt`, listed in
   * its person's set of links so that using one can delete the others.
   */
  async createPasswordReset(reset: PasswordResetRecord): Promise<void> {
    const expiresAtMs = Date.parse(reset.expiresAt);
    if (!Number.isFinite(expiresAtMs)) throw new RangeError(`a reset link's expiresAt must be a date, got ${reset.expiresAt}`);
    await this.#ks.connected;
    if (!(await this.findUserById(reset.userId))) throw new AccountConstraintError('FOREIGN KEY', `password reset refers to user ${reset.userId}, which does not exist`);
    const listKey = this.#ks.key('user', reset.userId, 'password-resets');
    await this.#ks.client
      .multi()
      .set(this.#ks.key('password-reset', reset.tokenHash), `${reset.userId} ${reset.expiresAt}`, { expiration: { type: 'PXAT', value: Math.floor(expiresAtMs) } })
      .sAdd(listKey, reset.tokenHash)
      .pExpireAt(listKey, Math.floor(expiresAtMs), 'GT')
      .pExpireAt(listKey, Math.floor(expiresAtMs), 'NX')
      .exec();
  }

  /** GETDEL is atomic: of two concurrent uses of one link, one gets it and the other nothing. */
  async takePasswordReset(tokenHash: string): Promise<PasswordResetRecord | undefined> {
    await this.#ks.connected;
    const value = await this.#ks.client.getDel(this.#ks.key('password-reset', tokenHash));
    if (typeof value !== 'string') return undefined;
    const [userId, expiresAt] = value.split(' ');
    if (!userId || !expiresAt) throw new RedisStoreError(`stored password reset ${tokenHash} is malformed`);
    const listKey = this.#ks.key('user', userId, 'password-resets');
    const others = await this.#ks.client.sMembers(listKey);
    await this.#ks.client.del([listKey, ...others.map((hash) => this.#ks.key('password-reset', hash))]);
    return { tokenHash, userId, expiresAt };
  }

  async getMailPreferences(userId: string): Promise<Partial<Record<MailPreferenceKind, MailDelivery>>> {
    return (await this.#ks.hash(this.#ks.key('user', userId, 'mail-preferences'))) as Partial<Record<MailPreferenceKind, MailDelivery>>;
  }

  async setMailPreference(userId: string, kind: MailPreferenceKind, delivery: MailDelivery): Promise<void> {
    await this.#requireUser(userId, 'mail preference');
    await this.#ks.client.hSet(this.#ks.key('user', userId, 'mail-preferences'), kind, delivery);
  }

  async mailLinkSecret(userId: string, candidate: string): Promise<string> {
    await this.#requireUser(userId, 'mail link secret');
    const key = this.#ks.key('user', userId, 'mail-link-secret');
    await this.#ks.client.set(key, candidate, { condition: 'NX' });
    const secret = await this.#ks.client.get(key);
    if (typeof secret !== 'string') throw new RedisStoreError(`the mail link secret of user ${userId} vanished`);
    return secret;
  }

  async #requireUser(userId: string, what: string): Promise<void> {
    await this.#ks.connected;
    if (!(await this.#ks.client.exists(this.#ks.key('user', userId)))) throw new AccountConstraintError('FOREIGN KEY', `${what} refers to user ${userId}, which does not exist`);
  }

  async createApiToken(token: { id: string; userId: string; name: string; tokenHash: string; createdAt: string }): Promise<void> {
    const userKey = this.#ks.key('user', token.userId);
    const status = await this.#ks.run(
      'INSERT',
      [this.#ks.key('token', token.id), this.#ks.key('user', token.userId, 'tokens'), this.#ks.key('seq'), this.#ks.key('tokens', 'by-hash'), userKey],
      [token.id, token.tokenHash, '1', ...pairsOf({ id: token.id, userId: token.userId, name: token.name, tokenHash: token.tokenHash, createdAt: token.createdAt })],
    );
    this.#ks.check(status, [`user ${token.userId}`], `API token ${token.id}`);
  }

  async findApiToken(tokenHash: string): Promise<{ id: string; userId: string } | undefined> {
    await this.#ks.connected;
    const id = await this.#ks.client.hGet(this.#ks.key('tokens', 'by-hash'), tokenHash);
    if (id === null || id === undefined) return undefined;
    const userId = await this.#ks.client.hGet(this.#ks.key('token', id), 'userId');
    return userId === null || userId === undefined ? undefined : { id, userId };
  }

  async touchApiToken(id: string, usedAt: string): Promise<void> {
    await this.#ks.patch(this.#ks.key('token', id), { lastUsedAt: usedAt });
  }

  async listApiTokens(userId: string): Promise<ApiTokenSummary[]> {
    const records = await this.#ks.records(await this.#ks.members(this.#ks.key('user', userId, 'tokens')), (id) => this.#ks.key('token', id));
    return sortByText(records.map(storedApiToken.fromFields), (token) => token.createdAt, 'asc');
  }

  async deleteApiToken(userId: string, id: string): Promise<boolean> {
    const deleted = await this.#ks.run('DELETE_TOKEN', [this.#ks.key('token', id), this.#ks.key('tokens', 'by-hash'), this.#ks.key('user', userId, 'tokens')], [userId, id]);
    return deleted === 1;
  }
}
