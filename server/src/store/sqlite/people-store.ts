import type { ApiTokenSummary, Department, Locale, MailDelivery, MailPreferenceKind } from '@passerelle/shared';
import { EmailTakenError, type PasswordResetRecord, type PeopleStore, type UserRecord } from '../account-store.js';
import { storedApiToken, storedSession, storedUser } from '../stored-records.js';
import { SqliteStore } from './sqlite-store.js';

/** People, sessions and API tokens in SQLite. */
export class SqlitePeopleStore extends SqliteStore implements PeopleStore {
  async countUsers(): Promise<number> {
    return (this.sql('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  #insertUser(user: UserRecord): void {
    try {
      this.sql('INSERT INTO users (id, email, name, password_hash, is_admin, manages_agreements, locale, departments, created_at, deactivated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        user.id, user.email, user.name, user.passwordHash, user.isAdmin ? 1 : 0, user.managesAgreements ? 1 : 0, user.locale, JSON.stringify(user.departments), user.createdAt, user.deactivatedAt,
      );
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new EmailTakenError();
      throw error;
    }
  }

  async createUser(user: UserRecord): Promise<void> {
    this.#insertUser(user);
  }

  async createFirstUser(user: UserRecord): Promise<boolean> {
    // IMMEDIATE: two concurrent setups cannot both see an empty table.
    return this.db.transaction(() => {
      const { n } = this.sql('SELECT COUNT(*) AS n FROM users').get() as { n: number };
      if (n > 0) return false;
      this.#insertUser(user);
      return true;
    }).immediate();
  }

  async findUserByExternalId(issuer: string, subject: string): Promise<UserRecord | undefined> {
    return this.row(storedUser, 'SELECT users.* FROM external_identities JOIN users ON users.id = external_identities.user_id WHERE issuer = ? AND subject = ?', issuer, subject);
  }

  async linkExternalId(userId: string, issuer: string, subject: string): Promise<boolean> {
    return this.db.transaction(() => {
      const linked = this.sql('SELECT user_id, subject FROM external_identities WHERE (issuer = ? AND subject = ?) OR (user_id = ? AND issuer = ?)').all(issuer, subject, userId, issuer) as {
        user_id: string;
        subject: string;
      }[];
      if (linked.some((row) => row.user_id !== userId || row.subject !== subject)) return false;
      if (linked.length === 0) this.sql('INSERT INTO external_identities (issuer, subject, user_id) VALUES (?, ?, ?)').run(issuer, subject, userId);
      return true;
    }).immediate();
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    return this.row(storedUser, 'SELECT * FROM users WHERE email = ?', email);
  }

  async findUserById(id: string): Promise<UserRecord | undefined> {
    return this.row(storedUser, 'SELECT * FROM users WHERE id = ?', id);
  }

  async updateUser(
    id: string,
    patch: { name?: string; locale?: Locale | null; departments?: Department[]; isAdmin?: boolean; managesAgreements?: boolean; deactivatedAt?: string | null },
  ): Promise<UserRecord | undefined> {
    // One transaction: a patch applies whole or not at all.
    this.db.transaction(() => {
      if (patch.departments !== undefined) {
        this.sql('UPDATE users SET departments = ? WHERE id = ?').run(JSON.stringify([...new Set(patch.departments)]), id);
      }
      if (patch.name !== undefined) this.sql('UPDATE users SET name = ? WHERE id = ?').run(patch.name, id);
      if (patch.locale !== undefined) this.sql('UPDATE users SET locale = ? WHERE id = ?').run(patch.locale, id);
      if (patch.isAdmin !== undefined) this.sql('UPDATE users SET is_admin = ? WHERE id = ?').run(patch.isAdmin ? 1 : 0, id);
      if (patch.managesAgreements !== undefined) this.sql('UPDATE users SET manages_agreements = ? WHERE id = ?').run(patch.managesAgreements ? 1 : 0, id);
      if (patch.deactivatedAt !== undefined) this.sql('UPDATE users SET deactivated_at = ? WHERE id = ?').run(patch.deactivatedAt, id);
    })();
    return this.findUserById(id);
  }

  /** Sessions, tokens, board roles and notifications follow the row (ON DELETE CASCADE). */
  async deleteImportedUser(id: string): Promise<boolean> {
    return this.sql('DELETE FROM users WHERE id = ?').run(id).changes > 0;
  }

  async listUsers(): Promise<UserRecord[]> {
    return this.rows(storedUser, 'SELECT * FROM users ORDER BY name');
  }

  async createSession(tokenHash: string, userId: string, expiresAt: string): Promise<void> {
    this.sql('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(tokenHash, userId, new Date().toISOString(), expiresAt);
  }

  async findSession(tokenHash: string): Promise<{ userId: string; expiresAt: string } | undefined> {
    return this.row(storedSession, 'SELECT user_id, expires_at FROM sessions WHERE token_hash = ?', tokenHash);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.sql('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  async deleteSessionsOf(userId: string, options: { except?: string } = {}): Promise<void> {
    this.sql('DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?').run(userId, options.except ?? null);
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<boolean> {
    return this.sql('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId).changes > 0;
  }

  async createPasswordReset(reset: PasswordResetRecord): Promise<void> {
    this.sql('INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES (?, ?, ?)').run(reset.tokenHash, reset.userId, reset.expiresAt);
  }

  async takePasswordReset(tokenHash: string): Promise<PasswordResetRecord | undefined> {
    return this.db.transaction(() => {
      const row = this.sql('SELECT user_id, expires_at FROM password_resets WHERE token_hash = ?').get(tokenHash) as
        | { user_id: string; expires_at: string }
        | undefined;
      if (!row) return undefined;
      this.sql('DELETE FROM password_resets WHERE user_id = ?').run(row.user_id);
      return { tokenHash, userId: row.user_id, expiresAt: row.expires_at };
    }).immediate();
  }

  async getMailPreferences(userId: string): Promise<Partial<Record<MailPreferenceKind, MailDelivery>>> {
    const rows = this.sql('SELECT kind, delivery FROM mail_preferences WHERE user_id = ?').all(userId) as { kind: MailPreferenceKind; delivery: MailDelivery }[];
    return Object.fromEntries(rows.map((row) => [row.kind, row.delivery]));
  }

  async setMailPreference(userId: string, kind: MailPreferenceKind, delivery: MailDelivery): Promise<void> {
    this.sql('INSERT INTO mail_preferences (user_id, kind, delivery) VALUES (?, ?, ?) ON CONFLICT (user_id, kind) DO UPDATE SET delivery = excluded.delivery').run(userId, kind, delivery);
  }

  async mailLinkSecret(userId: string, candidate: string): Promise<string> {
    this.sql('INSERT INTO mail_link_secrets (user_id, secret) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING').run(userId, candidate);
    return (this.sql('SELECT secret FROM mail_link_secrets WHERE user_id = ?').get(userId) as { secret: string }).secret;
  }

  async createApiToken(token: { id: string; userId: string; name: string; tokenHash: string; createdAt: string }): Promise<void> {
    this.sql('INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(token.id, token.userId, token.name, token.tokenHash, token.createdAt);
  }

  async findApiToken(tokenHash: string): Promise<{ id: string; userId: string } | undefined> {
    const row = this.sql('SELECT id, user_id FROM api_tokens WHERE token_hash = ?').get(tokenHash) as
      | { id: string; user_id: string }
      | undefined;
    return row && { id: row.id, userId: row.user_id };
  }

  async touchApiToken(id: string, usedAt: string): Promise<void> {
    this.sql('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(usedAt, id);
  }

  async listApiTokens(userId: string): Promise<ApiTokenSummary[]> {
    return this.rows(storedApiToken, 'SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY created_at', userId);
  }

  async deleteApiToken(userId: string, id: string): Promise<boolean> {
    return this.sql('DELETE FROM api_tokens WHERE id = ? AND user_id = ?').run(id, userId).changes > 0;
  }
}
