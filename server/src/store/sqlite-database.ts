import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Schema migrations of the embedded database, applied in order; `user_version` records progress. */
export const SCHEMA_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0,
    locale TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions(user_id);
  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT
  );
  CREATE TABLE boards (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE doc_snapshots (
    doc TEXT PRIMARY KEY,
    data BLOB NOT NULL,
    through_seq INTEGER NOT NULL
  );
  CREATE TABLE doc_updates (
    doc TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (doc, seq)
  ) WITHOUT ROWID;
  `,
  // People belong to departments (JSON array of department ids), which decides who may sign off.
  `
  ALTER TABLE users ADD COLUMN departments TEXT NOT NULL DEFAULT '[]';
  `,
  // Access control: deactivation, board roles, member invitations, partner guests, audit log,
  // notifications and board history.
  `
  ALTER TABLE users ADD COLUMN deactivated_at TEXT;
  ALTER TABLE boards ADD COLUMN workspace_access TEXT NOT NULL DEFAULT 'editor';
  CREATE TABLE board_members (
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (board_id, user_id)
  );
  CREATE INDEX board_members_user ON board_members(user_id);
  CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    departments TEXT NOT NULL DEFAULT '[]',
    is_admin INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT,
    revoked_at TEXT
  );
  CREATE TABLE guest_invites (
    id TEXT PRIMARY KEY,
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    label TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE INDEX guest_invites_board ON guest_invites(board_id);
  CREATE TABLE guests (
    id TEXT PRIMARY KEY,
    invite_id TEXT NOT NULL REFERENCES guest_invites(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    organisation TEXT,
    locale TEXT,
    joined_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE INDEX guests_invite ON guests(invite_id);
  CREATE TABLE guest_sessions (
    token_hash TEXT PRIMARY KEY,
    guest_id TEXT NOT NULL REFERENCES guests(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
  );
  CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    type TEXT NOT NULL,
    actor_id TEXT,
    actor_name TEXT,
    target TEXT,
    details TEXT NOT NULL DEFAULT '{}',
    ip TEXT
  );
  CREATE INDEX audit_events_type ON audit_events(type, id);
  CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    board_id TEXT NOT NULL,
    board_title TEXT NOT NULL,
    card_id TEXT,
    subject TEXT NOT NULL,
    actor_id TEXT,
    actor_name TEXT,
    excerpt TEXT NOT NULL,
    read_at TEXT
  );
  CREATE INDEX notifications_user ON notifications(user_id, at);
  CREATE TABLE board_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    board_id TEXT NOT NULL,
    at TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    card_id TEXT,
    subject_kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    action TEXT NOT NULL,
    fields TEXT NOT NULL DEFAULT '[]'
  );
  CREATE INDEX board_history_board ON board_history(board_id, id);
  CREATE INDEX board_history_card ON board_history(board_id, card_id, id);
  `,
  // Version history: full Yjs states of a board and of its internal document (server/src/versions/).
  `
  CREATE TABLE board_versions (
    id TEXT PRIMARY KEY,
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT,
    created_by_id TEXT,
    created_by_name TEXT,
    editors TEXT NOT NULL DEFAULT '[]',
    board_state BLOB NOT NULL,
    internal_state BLOB NOT NULL
  );
  CREATE INDEX board_versions_board ON board_versions(board_id, at);
  `,
  // The schema version each snapshot's document was compacted at: a room may serve a snapshot of
  // the current version before it has loaded it. NULL for snapshots stored before it was recorded.
  `
  ALTER TABLE doc_snapshots ADD COLUMN schema_version INTEGER;
  `,
  // What a version is of within its board: 'board', or 'proposal/<cardId>' for a proposal's
  // documents (server/src/versions/version-store.ts, VersionTarget). Versions before it: the board's.
  `
  ALTER TABLE board_versions ADD COLUMN target TEXT NOT NULL DEFAULT 'board';
  CREATE INDEX board_versions_target ON board_versions(board_id, target, at);
  `,
  // The others who took part in a history entry (server/src/collab/board-history.ts): people typing
  // in the same title at the same time share one entry. Entries before it: their author alone.
  `
  ALTER TABLE board_history ADD COLUMN co_actors TEXT NOT NULL DEFAULT '[]';
  `,
  // Calendar feeds: one secret URL per person and board (board_id NULL: their own actions and
  // deadlines), and the stamps of the events served, so that calendar clients update an event.
  `
  CREATE TABLE calendar_feeds (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    board_id TEXT REFERENCES boards(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX calendar_feeds_slot ON calendar_feeds(user_id, COALESCE(board_id, ''));
  CREATE TABLE calendar_event_stamps (
    uid TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    modified_at TEXT NOT NULL
  );
  `,
  // Password reset links (server/src/auth/password-reset.ts): only the SHA-256 of each secret.
  `
  CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX password_resets_user ON password_resets(user_id);
  `,
  // The e-mail outbox (server/src/mail/): each message written before it is sent, with its tries.
  `
  CREATE TABLE mail_outbox (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    headers TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_attempt_at TEXT,
    last_error TEXT,
    sent_at TEXT
  );
  CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at);
  CREATE INDEX mail_outbox_failures ON mail_outbox(last_attempt_at) WHERE last_error IS NOT NULL;
  `,
  // Each person's e-mail choices by kind, and the secret their unsubscribe links are signed with.
  `
  CREATE TABLE mail_preferences (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    delivery TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
  );
  CREATE TABLE mail_link_secrets (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret TEXT NOT NULL
  );
  `,
  // A small summary kept beside a document (a board's first screen), read without the document.
  `
  CREATE TABLE doc_summaries (
    doc TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    through_seq INTEGER NOT NULL
  );
  `,
  // Accounts linked to their identity at a single sign-on provider (issuer and subject), so that a
  // person is recognised by the provider's stable identifier, not only by an address that may change
  // or be given to someone else. Existing accounts are linked at their next sign-in.
  `
  CREATE TABLE external_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (issuer, subject),
    UNIQUE (user_id, issuer)
  );
  `,
  // Due-date reminders and daily digests already claimed (server/src/mail/mail-scheduler.ts).
  `
  CREATE TABLE mail_reminders (
    key TEXT PRIMARY KEY,
    at TEXT NOT NULL
  );
  CREATE TABLE mail_digests (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    at TEXT NOT NULL
  );
  `,
  // The agreements manager capability (shared/src/workspace/permissions.ts): nobody holds it until an administrator gives it.
  `
  ALTER TABLE users ADD COLUMN manages_agreements INTEGER NOT NULL DEFAULT 0;
  `,
  // The workspace document's versions (server/src/versions/workspace-version-service.ts): the columns
  // of board_versions, under no board row (board_id is the workspace document's name).
  `
  CREATE TABLE workspace_versions (
    id TEXT PRIMARY KEY,
    board_id TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT 'workspace',
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT,
    created_by_id TEXT,
    created_by_name TEXT,
    editors TEXT NOT NULL DEFAULT '[]',
    board_state BLOB NOT NULL,
    internal_state BLOB NOT NULL
  );
  CREATE INDEX workspace_versions_at ON workspace_versions(board_id, target, at);
  `,
];

/**
 * Opens (creating if needed) the embedded database in `dataDir`, in WAL mode. `synchronous=NORMAL`
 * makes every committed transaction survive a crash of the process (it is in the WAL before the
 * commit returns); only a power loss can take the last transactions, which `FULL` (the server's
 * default, `SQLITE_SYNCHRONOUS`) prevents at the cost of one fsync per write.
 */
export function openDatabase(dataDir: string, options: { synchronous?: 'NORMAL' | 'FULL' } = {}): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'passerelle.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_MIGRATIONS.length) {
    throw new Error(`The database in ${dataDir} was created by a newer Passerelle (schema ${current} > ${SCHEMA_MIGRATIONS.length}).`);
  }
  for (let version = current; version < SCHEMA_MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(SCHEMA_MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return db;
}

/**
 * Asks the database whether it answers now (readiness): reads the schema, which touches the file
 * rather than only the connection, and throws when the database is closed or unreadable.
 */
export function pingDatabase(db: Database.Database): void {
  db.prepare('SELECT count(*) FROM sqlite_master').get();
}
