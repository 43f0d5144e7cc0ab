import { resolve } from 'node:path';
import { isTimeZone } from '@passerelle/shared';
import { z } from 'zod';
import { parseGroupMap, type GroupGrant } from './config-group-map.js';
import type { SamlConfig } from './config-saml.js';

export type { GroupGrant } from './config-group-map.js';
export type { SamlConfig } from './config-saml.js';
import type { MailSchedule } from './mail/mail-scheduler.js';

/**
 * Every setting of a Passerelle server. Built once, from the environment, in `main.ts`; tests build
 * their own with `loadConfig({...})`. The variable names are a contract that deployments rely on.
 */
export interface Config {
  /** `PORT` (default 3000): the one HTTP port serving the app, the API, socket.io and sync. 0 picks a free port. */
  port: number;
  /** `HOST` (default 127.0.0.1): loopback by default so that a laptop run is not exposed to the network. */
  host: string;
  /** `DATA_DIR` (default ./data): where the embedded SQLite database lives. */
  dataDir: string;
  /** `ADMIN_EMAIL` and `ADMIN_PASSWORD`: create the first administrator on a store with no account. */
  admin: { email: string; password: string } | null;
  /** `PUBLIC_URL` (default http://HOST:PORT): the address people use, for the setup link. */
  publicUrl: string | null;
  /**
   * `REDIS_URL` (default unset): run as one of several processes serving the same boards. Board
   * documents, accounts, sessions, versions and meetings are kept in Redis, and updates, presence,
   * socket.io events and access changes fan out through it, so any process can serve any request.
   * Unset: one process with the embedded store, and no Redis is needed.
   */
  redisUrl: string | null;
  /** `REDIS_KEY_PREFIX` (default `passerelle:`): prefix of every Redis key and channel, so deployments can share a Redis. */
  redisKeyPrefix: string;
  /**
   * `TRUST_PROXY` (default `loopback`): which proxies' X-Forwarded-* headers to believe (Express
   * "trust proxy": `loopback`, `uniquelocal`, addresses or CIDRs, comma-separated). They decide the
   * client address (sign-in lockout, audit log) and whether a request came over TLS (Secure cookies).
   */
  trustProxy: string;
  /** `LOG_LEVEL` (default info): pino level; `silent` turns logs off. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `MAX_FRAME_BYTES` (default 8 MiB): largest WebSocket frame accepted; bigger ones close the socket with 1009. */
  maxFrameBytes: number;
  /**
   * `MAX_DOCUMENT_BYTES` (default 64 MiB): largest stored size of one board; an update that would
   * grow it beyond is refused and its socket closed with 4413. A board of 5,000 cards is about 2 MiB.
   */
  maxDocumentBytes: number;
  /**
   * `MAX_MESSAGES_PER_SECOND` (default 200, bursts of twice that): sync messages one connection may
   * send; a faster one is closed with 4429. Fast typing with a live cursor is about 40 per second.
   */
  maxMessagesPerSecond: number;
  /**
   * `MAX_CONNECTIONS_PER_SECOND` (default 50, bursts of four times that): new TCP connections one
   * client address may open a second; beyond, they are closed at once, before anything is read. A
   * browser opens a handful per page; a loop of requests opens thousands. Connections from
   * `TRUST_PROXY` addresses are not counted (the balancer bounds its clients). `0` turns it off.
   */
  maxConnectionsPerSecond: number;
  /** `MAX_JSON_BODY_BYTES` (default 1 MiB): largest JSON request body; bigger ones get 413. */
  maxJsonBodyBytes: number;
  /**
   * `SQLITE_SYNCHRONOUS` (default FULL): when a write to the embedded database counts as done. An
   * update is stored before it is relayed to anyone; with `FULL` the store waits for the disk, so an
   * edit someone has seen survives a power loss, not only a crash of the process (`NORMAL`, which
   * saves one fsync per stored batch). Measured cost: bench/RESULTS.md.
   */
  sqliteSynchronous: 'NORMAL' | 'FULL';
  /** `COMPACT_THRESHOLD` (default 500): logged updates after which a board is folded into a snapshot. */
  compactThreshold: number;
  /** `UNLOAD_DELAY_MS` (default 30000): how long an idle board stays in memory after its last client leaves. */
  unloadDelayMs: number;
  /** `SESSION_DAYS` (default 30): how long a sign-in lasts. */
  sessionDays: number;
  /** `SECURE_COOKIES` (default: true when PUBLIC_URL is https): marks the session cookie Secure. */
  secureCookies: boolean;
  /**
   * `VERSION_MAX_NAMED_PER_BOARD` (default 100): named versions one board may keep. Beyond it a new
   * named version is refused with a message; a person deletes one to make room.
   */
  versionMaxNamedPerBoard: number;
  /**
   * `VERSION_MAX_BYTES_PER_BOARD` (default 256 MiB): stored size of all of a board's versions
   * together: four versions of a board at `MAX_DOCUMENT_BYTES`, about fifty of a 5,000-card board.
   * The oldest automatic versions go first to make room; a named one that does not fit is refused.
   */
  versionMaxBytesPerBoard: number;
  /**
   * `ORPHAN_SWEEP_GRACE_MS` (default 60000): how long the documents of a board must have been
   * without the board before the sweep at start removes them. A new board's documents may be
   * written a moment before its row, by this process or another one.
   */
  orphanSweepGraceMs: number;
  /**
   * `METRICS_TOKEN` (default unset): the bearer token `GET /metrics` requires (16 characters or
   * more). Set, the metrics are served on the public port to `Authorization: Bearer <token>`, and
   * on `METRICS_PORT` the token is required too. Unset, `/metrics` is 404 on the public port.
   */
  metricsToken: string | null;
  /**
   * `METRICS_PORT` (default unset): a port of its own serving `/metrics` only, on `METRICS_HOST`,
   * for a scraper on a private network; `0` picks a free port. Unset, no such listener.
   */
  metricsPort: number | null;
  /** `METRICS_HOST` (default 127.0.0.1): the interface `METRICS_PORT` listens on; loopback unless a scraper elsewhere needs it. */
  metricsHost: string;
  /** `DEMO_WORKSPACE` (default true): on an empty store, create the demo workspace from the policy statement; `false` starts empty. */
  demoWorkspace: boolean;
  /**
   * `WEBHOOK_ALLOW_PRIVATE_ADDRESSES` (default false): let webhooks call loopback, private-network
   * and link-local addresses. Off, a webhook can only reach public addresses, so that an
   * administrator's account cannot be used to probe the server's own network (docs/security.md).
   */
  webhookAllowPrivateAddresses: boolean;
  /** `DEMO_LANGUAGE` (default fr): the language of the demo workspace's content (`fr` or `en`). */
  demoLanguage: 'fr' | 'en';
  /**
   * `SMTP_URL` and `MAIL_FROM` (default unset, set together): where e-mail goes out
   * (`smtp://user:password@host:587`, STARTTLS when the server offers it, or `smtps://host:465`) and
   * the sender it shows (`Passerelle <passerelle@school.example>`). Unset, no e-mail is sent: password
   * reset is unavailable and invitation links are shown to copy.
   */
  mail: { smtpUrl: string; from: string } | null;
  /**
   * When e-mail goes out by the clock (sent only with `SMTP_URL`):
   * `DIGEST_HOUR` (default 7): the hour of the school's day from which each person's daily digest and
   * the due-date reminders go out, early enough to be read with the morning's mail;
   * `MAIL_TIME_ZONE` (default Europe/Paris): the school's time zone, which decides that hour and what
   * "the day before" is;
   * `REMINDER_LEAD_DAYS` (default 1): how many days before a due date its reminder goes (0: on the day),
   * the day before leaving time to act.
   */
  mailSchedule: MailSchedule;
  /** Single sign-on through OpenID Connect (`OIDC_*`); null while `OIDC_ISSUER_URL` is unset. */
  oidc: OidcConfig | null;
  /** Single sign-on through SAML 2.0 (`SAML_*`); null while neither `SAML_IDP_METADATA_URL` nor `SAML_IDP_METADATA_FILE` is set. */
  saml: SamlConfig | null;
  /**
   * `AUTH_REQUIRE_SSO` (default false): everyone signs in through single sign-on, except the one
   * break-glass administrator `AUTH_BREAK_GLASS_EMAIL` (default `ADMIN_EMAIL`), who keeps a password
   * for the day the provider is down. Null when not required.
   */
  requireSso: { breakGlassEmail: string } | null;
}

/** OpenID Connect settings. */
export interface OidcConfig {
  /** `OIDC_ISSUER_URL`: the provider's issuer; its discovery document is read at start. https, or http on loopback only. */
  issuerUrl: string;
  /** `OIDC_CLIENT_ID`: Passerelle's client at the provider. */
  clientId: string;
  /** `OIDC_CLIENT_SECRET` (default unset: a public client, PKCE only). */
  clientSecret: string | null;
  /** `OIDC_DISPLAY_NAME` (default `SSO`): shown on the button, "Sign in with <name>". */
  displayName: string;
  /** `OIDC_SCOPES` (default `openid email profile`): scopes asked for; add the one that releases groups if the provider needs it. */
  scopes: string;
  /** `OIDC_GROUPS_CLAIM` (default `groups`): the ID token or userinfo claim listing the person's groups. */
  groupsClaim: string;
  /**
   * `OIDC_GROUP_MAP` (default unset: accounts are created with no department and never changed by
   * sign-in): JSON object from a provider group to what it grants, a list (or comma-separated string)
   * of department ids, `admin` and `member`. Set, each sign-in sets departments and the
   * administrator flag to what the person's groups grant now.
   */
  groupMap: Map<string, GroupGrant> | null;
  /** `OIDC_REQUIRE_GROUP` (default false): refuse a person none of whose groups is in `OIDC_GROUP_MAP`. */
  requireKnownGroup: boolean;
  /**
   * `OIDC_STATE_SECRET` (default: derived from `OIDC_CLIENT_SECRET`, else random per process): the
   * key sealing the short-lived sign-in cookie. Processes behind one balancer share it; a public
   * client run on several processes must set it.
   */
  stateSecret: string | null;
}

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const EnvSchema = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATA_DIR: z.string().min(1).default('./data'),
    ADMIN_EMAIL: z.string().trim().toLowerCase().pipe(z.email()).optional(),
    ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
    PUBLIC_URL: z.url().optional(),
    REDIS_URL: z.url().optional(),
    TRUST_PROXY: z.string().min(1).default('loopback'),
    REDIS_KEY_PREFIX: z.string().regex(/^[^{}]*$/, 'must not contain { or }').default('passerelle:'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MAX_FRAME_BYTES: positiveInt.default(8 * 1024 * 1024),
    MAX_JSON_BODY_BYTES: positiveInt.default(1024 * 1024),
    MAX_DOCUMENT_BYTES: positiveInt.default(64 * 1024 * 1024),
    MAX_MESSAGES_PER_SECOND: positiveInt.default(200),
    MAX_CONNECTIONS_PER_SECOND: z.coerce.number().int().min(0).default(50),
    COMPACT_THRESHOLD: positiveInt.default(500),
    SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('FULL'),
    UNLOAD_DELAY_MS: z.coerce.number().int().min(0).default(30_000),
    SESSION_DAYS: positiveInt.default(30),
    SECURE_COOKIES: z.enum(['true', 'false']).optional(),
    VERSION_MAX_NAMED_PER_BOARD: positiveInt.default(100),
    VERSION_MAX_BYTES_PER_BOARD: positiveInt.default(256 * 1024 * 1024),
    ORPHAN_SWEEP_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').regex(/^\S+$/, 'must not contain spaces').optional(),
    METRICS_PORT: port.optional(),
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    DEMO_WORKSPACE: z.enum(['true', 'false']).default('true'),
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES: z.enum(['true', 'false']).default('false'),
    DEMO_LANGUAGE: z.enum(['fr', 'en']).default('fr'),
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
    MAIL_FROM: z.string().trim().min(3).optional(),
    DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
    MAIL_TIME_ZONE: z.string().trim().refine(isTimeZone, 'must be a time zone such as Europe/Paris').default('Europe/Paris'),
    REMINDER_LEAD_DAYS: z.coerce.number().int().min(0).max(30).default(1),
    OIDC_ISSUER_URL: z.url().refine(secureOrLoopback, 'must be https (http only on a loopback address)').optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_DISPLAY_NAME: z.string().trim().min(1).max(60).default('SSO'),
    OIDC_SCOPES: z.string().trim().min(1).default('openid email profile'),
    OIDC_GROUPS_CLAIM: z.string().trim().min(1).default('groups'),
    OIDC_GROUP_MAP: z.string().transform(parseGroupMap).optional(),
    OIDC_REQUIRE_GROUP: z.enum(['true', 'false']).default('false'),
    OIDC_STATE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SAML_IDP_METADATA_URL: z.url().refine(secureOrLoopback, 'must be https (http only on a loopback address)').optional(),
    SAML_IDP_METADATA_FILE: z.string().min(1).optional(),
    SAML_IDP_ENTITY_ID: z.string().trim().min(1).optional(),
    SAML_METADATA_REFRESH_HOURS: positiveInt.default(24),
    SAML_SP_ENTITY_ID: z.string().trim().min(1).optional(),
    SAML_DISPLAY_NAME: z.string().trim().min(1).max(60).default('SAML'),
    SAML_SP_PRIVATE_KEY_FILE: z.string().min(1).optional(),
    SAML_SP_CERT_FILE: z.string().min(1).optional(),
    SAML_GROUPS_ATTRIBUTES: z.string().trim().min(1).default('isMemberOf,eduPersonAffiliation'),
    SAML_GROUP_MAP: z.string().transform(parseGroupMap).optional(),
    SAML_REQUIRE_GROUP: z.enum(['true', 'false']).default('false'),
    SAML_STATE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    AUTH_REQUIRE_SSO: z.enum(['true', 'false']).default('false'),
    AUTH_BREAK_GLASS_EMAIL: z.string().trim().toLowerCase().pipe(z.email()).optional(),
  })
  .refine((env) => (env.SMTP_URL === undefined) === (env.MAIL_FROM === undefined), {
    message: 'SMTP_URL and MAIL_FROM must be set together',
    path: ['MAIL_FROM'],
  })
  .refine((env) => (env.OIDC_ISSUER_URL === undefined) === (env.OIDC_CLIENT_ID === undefined), {
    message: 'OIDC_ISSUER_URL and OIDC_CLIENT_ID must be set together',
    path: ['OIDC_CLIENT_ID'],
  })
  .refine((env) => env.OIDC_REQUIRE_GROUP === 'false' || env.OIDC_GROUP_MAP !== undefined, {
    message: 'needs OIDC_GROUP_MAP',
    path: ['OIDC_REQUIRE_GROUP'],
  })
  .refine((env) => env.SAML_IDP_METADATA_URL === undefined || env.SAML_IDP_METADATA_FILE === undefined, {
    message: 'set SAML_IDP_METADATA_URL or SAML_IDP_METADATA_FILE, not both',
    path: ['SAML_IDP_METADATA_FILE'],
  })
  .refine((env) => !samlConfigured(env) || env.SAML_SP_ENTITY_ID !== undefined || env.PUBLIC_URL !== undefined, {
    message: 'needs SAML_SP_ENTITY_ID or PUBLIC_URL, Passerelle’s name at the identity provider',
    path: ['SAML_SP_ENTITY_ID'],
  })
  .refine((env) => (env.SAML_SP_PRIVATE_KEY_FILE === undefined) === (env.SAML_SP_CERT_FILE === undefined), {
    message: 'SAML_SP_PRIVATE_KEY_FILE and SAML_SP_CERT_FILE must be set together',
    path: ['SAML_SP_CERT_FILE'],
  })
  .refine((env) => env.SAML_REQUIRE_GROUP === 'false' || env.SAML_GROUP_MAP !== undefined, {
    message: 'needs SAML_GROUP_MAP',
    path: ['SAML_REQUIRE_GROUP'],
  })
  .refine((env) => env.AUTH_REQUIRE_SSO === 'false' || env.OIDC_ISSUER_URL !== undefined || samlConfigured(env), {
    message: 'needs single sign-on configured (OIDC_ISSUER_URL, SAML_IDP_METADATA_URL or SAML_IDP_METADATA_FILE)',
    path: ['AUTH_REQUIRE_SSO'],
  })
  .refine((env) => env.AUTH_REQUIRE_SSO === 'false' || (env.AUTH_BREAK_GLASS_EMAIL ?? env.ADMIN_EMAIL) !== undefined, {
    message: 'needs a break-glass administrator (AUTH_BREAK_GLASS_EMAIL or ADMIN_EMAIL)',
    path: ['AUTH_REQUIRE_SSO'],
  })
  .refine((env) => (env.ADMIN_EMAIL === undefined) === (env.ADMIN_PASSWORD === undefined), {
    message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    path: ['ADMIN_PASSWORD'],
  })
  .refine((env) => env.METRICS_PORT === undefined || env.METRICS_PORT === 0 || env.METRICS_PORT !== env.PORT, {
    message: 'must differ from PORT',
    path: ['METRICS_PORT'],
  });

/** Whether SAML sign-in is asked for: its identity provider's metadata is given. */
function samlConfigured(env: { SAML_IDP_METADATA_URL?: string; SAML_IDP_METADATA_FILE?: string }): boolean {
  return env.SAML_IDP_METADATA_URL !== undefined || env.SAML_IDP_METADATA_FILE !== undefined;
}

/** An issuer over TLS, or over plain HTTP on this machine only (a provider started for a test or a demo). */
function secureOrLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || (protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname));
}

/** A configuration error, with one line per faulty variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Builds the configuration from environment variables (unknown variables are ignored). */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as unset, as they do in most shells' `VAR= cmd`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`));
  }
  const e = parsed.data;
  const publicUrl = e.PUBLIC_URL?.replace(/\/+$/, '') ?? null;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : null,
    publicUrl,
    redisUrl: e.REDIS_URL ?? null,
    trustProxy: e.TRUST_PROXY,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    logLevel: e.LOG_LEVEL,
    maxFrameBytes: e.MAX_FRAME_BYTES,
    maxJsonBodyBytes: e.MAX_JSON_BODY_BYTES,
    maxDocumentBytes: e.MAX_DOCUMENT_BYTES,
    maxMessagesPerSecond: e.MAX_MESSAGES_PER_SECOND,
    maxConnectionsPerSecond: e.MAX_CONNECTIONS_PER_SECOND,
    compactThreshold: e.COMPACT_THRESHOLD,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    unloadDelayMs: e.UNLOAD_DELAY_MS,
    sessionDays: e.SESSION_DAYS,
    secureCookies: e.SECURE_COOKIES ? e.SECURE_COOKIES === 'true' : publicUrl?.startsWith('https:') ?? false,
    versionMaxNamedPerBoard: e.VERSION_MAX_NAMED_PER_BOARD,
    versionMaxBytesPerBoard: e.VERSION_MAX_BYTES_PER_BOARD,
    orphanSweepGraceMs: e.ORPHAN_SWEEP_GRACE_MS,
    metricsToken: e.METRICS_TOKEN ?? null,
    metricsPort: e.METRICS_PORT ?? null,
    metricsHost: e.METRICS_HOST,
    demoWorkspace: e.DEMO_WORKSPACE === 'true',
    webhookAllowPrivateAddresses: e.WEBHOOK_ALLOW_PRIVATE_ADDRESSES === 'true',
    demoLanguage: e.DEMO_LANGUAGE,
    mail: e.SMTP_URL && e.MAIL_FROM ? { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM } : null,
    mailSchedule: { digestHour: e.DIGEST_HOUR, timeZone: e.MAIL_TIME_ZONE, reminderLeadDays: e.REMINDER_LEAD_DAYS },
    oidc:
      e.OIDC_ISSUER_URL && e.OIDC_CLIENT_ID
        ? {
            issuerUrl: e.OIDC_ISSUER_URL,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET ?? null,
            displayName: e.OIDC_DISPLAY_NAME,
            scopes: e.OIDC_SCOPES,
            groupsClaim: e.OIDC_GROUPS_CLAIM,
            groupMap: e.OIDC_GROUP_MAP ?? null,
            requireKnownGroup: e.OIDC_REQUIRE_GROUP === 'true',
            stateSecret: e.OIDC_STATE_SECRET ?? e.OIDC_CLIENT_SECRET ?? null,
          }
        : null,
    saml: samlConfigured(e)
      ? {
          idpMetadata: e.SAML_IDP_METADATA_URL ? { url: e.SAML_IDP_METADATA_URL } : { file: resolve(e.SAML_IDP_METADATA_FILE!) },
          idpEntityId: e.SAML_IDP_ENTITY_ID ?? null,
          metadataRefreshHours: e.SAML_METADATA_REFRESH_HOURS,
          spEntityId: e.SAML_SP_ENTITY_ID ?? `${publicUrl}/api/auth/saml/metadata`,
          displayName: e.SAML_DISPLAY_NAME,
          spKeyFiles: e.SAML_SP_PRIVATE_KEY_FILE && e.SAML_SP_CERT_FILE ? { privateKey: resolve(e.SAML_SP_PRIVATE_KEY_FILE), cert: resolve(e.SAML_SP_CERT_FILE) } : null,
          groupsAttributes: e.SAML_GROUPS_ATTRIBUTES.split(',').map((name) => name.trim()).filter(Boolean),
          groupMap: e.SAML_GROUP_MAP ?? null,
          requireKnownGroup: e.SAML_REQUIRE_GROUP === 'true',
          stateSecret: e.SAML_STATE_SECRET ?? null,
        }
      : null,
    requireSso: e.AUTH_REQUIRE_SSO === 'true' ? { breakGlassEmail: (e.AUTH_BREAK_GLASS_EMAIL ?? e.ADMIN_EMAIL)! } : null,
  };
}
