import { existsSync } from 'node:fs';
import { STATUS_CODES, createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import express from 'express';
import helmet from 'helmet';
import { pino, type Logger } from 'pino';
import { Server as SocketServer } from 'socket.io';
import { WORKSPACE_DOC, WorkspaceDoc, type ClientToServerEvents, type ServerToClientEvents } from '@passerelle/shared';
import { BoardAccess } from './access/board-access.js';
import { AuthService, type Principal } from './auth/auth-service.js';
import { createBoardListPublisher, personRoom, refusalEvents } from './collab/person-events.js';
import { armExpiry } from './auth/expiry.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { PasswordResets, ResetLimiter } from './auth/password-reset.js';
import { MailService } from './mail/mail-service.js';
import { createSmtpTransport } from './mail/mailer.js';
import { createNotificationMailer } from './mail/notification-mail.js';
import { MailScheduler } from './mail/mail-scheduler.js';
import { OidcSignIn } from './auth/oidc.js';
import { SamlSignIn } from './auth/saml.js';
import type { Config } from './config.js';
import { createCalendarFeedRoute, createCalendarRouter, type CalendarRouterOptions } from './calendar/router.js';
import { createBoardChangeListener, createCollaborationRouter, createNotifier, createWorkspaceChangeListener, createWorkspaceRouter } from './collab/index.js';
import { createApiRouter } from './http/api.js';
import { createLiveAccess } from './access/live-access.js';
import { Audit } from './http/audit.js';
import { rejectCrossSiteRequests } from './http/cross-site.js';
import { createConnectionLimiter } from './http/connection-limiter.js';
import { createSearch } from './http/search.js';
import { SearchIndexer } from './search/indexer.js';
import type { SearchIndex } from './search/search-index.js';
import { apiErrorHandler } from './http/errors.js';
import { readinessHandler } from './http/readiness.js';
import { createMetricsListener, publicMetricsHandler } from './http/metrics.js';
import { Metrics } from './observability/metrics.js';
import type { AccountStores } from './store/account-store.js';
import type { DocumentStore } from './store/document-store.js';
import { createProposalCommentsRouter } from './proposals/comments-router.js';
import { boardDocumentNames, resolveProposalTemplate } from './documents/index.js';
import { createProgressEvents } from './proposals/progress-events.js';
import type { ProgressSources } from './proposals/progress.js';
import { createProposalRouter } from './proposals/router.js';
import { createAgreementRouter } from './agreements/router.js';
import { createCardsRouter } from './rest/cards-router.js';
import { createRecordsRouter } from './rest/records-router.js';
import { createOpenApiRouter } from './rest/openapi.js';
import { WebhookService, type WebhookServiceOptions } from './webhooks/webhook-service.js';
import { createWebhookRouter } from './webhooks/router.js';
import { createTemplateRouter } from './proposals/templates-router.js';
import { createSheetRouter } from './sheets/router.js';
import { SyncServer } from './sync/sync-server.js';
import type { SyncWorkLimits } from './sync/sync-budget.js';
import { seedDemoWorkspace } from './demo/demo-workspace.js';
import { registerMeetings } from './meeting/meeting-service.js';
import { createFirstScreenReader, createFirstScreenRouter } from './http/first-screen-routes.js';
import { compressAnswers } from './http/compression.js';
import { firstScreenPage } from './http/first-screen-page.js';
import { buildStylesheets } from './http/page-stylesheets.js';
import { VersionService, WorkspaceArchiver, createVersionRouter, createWorkspaceVersionsRouter, type VersionServiceOptions } from './versions/index.js';
import { createBackend } from './backends/index.js';

/** Where the built SvelteKit app is; the same relative path from `src/` and from the bundled `dist/`. */
const WEB_BUILD_DIR = fileURLToPath(new URL('../../web/build/', import.meta.url));

/** Parts a caller may supply instead of the embedded defaults (tests, tools). */
export interface AppParts {
  logger?: Logger;
  documents?: DocumentStore;
  accounts?: AccountStores;
  /** The search index instead of the backend's own (tests that need a slow one); closed with the backend. */
  search?: SearchIndex;
  /** Serve the built web app (default true); API-only servers in tests skip it. */
  serveWeb?: boolean;
  /** Login throttling (tests use tighter limits). */
  loginLimiter?: LoginLimiter;
  /** Password reset throttling (tests use tighter limits). */
  resetLimiter?: ResetLimiter;
  /** Waits before each retry of an e-mail (default `DEFAULT_RETRY_DELAYS_MS`); tests use a few ms. */
  mailRetryDelaysMs?: readonly number[];
  /** The time the e-mail scheduler and notifications go by (tests move it instead of waiting); passes then run only when asked. */
  clock?: () => Date;
  /** Least time between two automatic versions of a board (default 10 minutes); tests use a few hundred ms. */
  versionIntervalMs?: number;
  /** Caps on a board's versions (defaults in `VersionService`); tests use small ones. */
  versionLimits?: Pick<VersionServiceOptions, 'maxNamedPerBoard' | 'maxVersionBytesPerBoard'>;
  /** Bounds on the work sync requests may cost (default `DEFAULT_SYNC_WORK_LIMITS`); tests use tighter ones. */
  syncLimits?: Partial<SyncWorkLimits>;
  /** Webhook delivery timing (retries, queue reads, coalescing of bursts); tests use a few ms. */
  webhookTiming?: Pick<WebhookServiceOptions, 'retryDelaysMs' | 'pollMs' | 'coalesceMs'>;
}

/** A running Passerelle server. */
export interface PasserelleServer {
  readonly config: Config;
  readonly logger: Logger;
  readonly http: HttpServer;
  /** The Express application (its routes are what the OpenAPI document must cover). */
  readonly app: express.Express;
  readonly sync: SyncServer;
  readonly auth: AuthService;
  readonly accounts: AccountStores;
  /** The e-mail outbox and its sender. */
  readonly mail: MailService;
  /** Due-date reminders and daily digests. */
  readonly mailScheduler: MailScheduler;
  /** The base URL it listens on, e.g. http://127.0.0.1:3000 (after `listen`). */
  readonly url: string;
  /** The base URL of the `METRICS_PORT` listener (after `listen`), null without one. */
  readonly metricsUrl: string | null;
  /** The one-time setup link, when no account exists and none was configured. */
  readonly setupUrl: string | null;
  listen(): Promise<string>;
  /** Stops accepting work, closes sockets (1012), stores every open board, closes the store. */
  close(): Promise<void>;
}

/** Builds a server from a configuration; call `listen()` to start it (port 0 picks a free port). */
export async function createApp(config: Config, parts: AppParts = {}): Promise<PasserelleServer> {
  const logger = parts.logger ?? pino({ level: config.logLevel, base: undefined });
  const metrics = new Metrics();
  const backend = await createBackend(config, { logger, documents: parts.documents, accounts: parts.accounts, search: parts.search });
  const { documents, accounts } = backend;
  const { people, directory, invitations, activity } = accounts;
  const auth = new AuthService({ people, invitations }, { sessionDays: config.sessionDays, setupLinks: backend.setupLinks });
  const access = new BoardAccess(directory);
  const audit = new Audit(activity, logger);
  const mail = new MailService({
    outbox: accounts.mail,
    transport: config.mail ? createSmtpTransport(config.mail.smtpUrl, config.mail.from) : null,
    logger,
    retryDelaysMs: parts.mailRetryDelaysMs,
  });
  /** Work that follows an answer already sent; close() waits for it before the stores close. */
  const backgroundWork = new Set<Promise<unknown>>();
  const background = (work: Promise<unknown>, what: string) => {
    const tracked = work.catch((error: unknown) => logger.error({ err: error }, `${what} failed`)).finally(() => backgroundWork.delete(tracked));
    backgroundWork.add(tracked);
  };

  const bootstrap = await auth.bootstrap(config.admin);
  if (bootstrap.created) logger.info({ email: config.admin?.email }, 'administrator account created');
  /** Creates the demo workspace for the first administrator, on an empty store, when configured. */
  const ensureDemo = async (owner: { id: string; name: string }) => {
    if (config.demoWorkspace) await seedDemoWorkspace({ directory, documents, owner, language: config.demoLanguage, logger });
  };
  const firstAdmin = (await people.listUsers()).find((user) => user.isAdmin);
  // With several processes starting together on an empty store, only the one that created the
  // administrator creates the demo: two would both find the store empty and write it twice.
  if (firstAdmin && (bootstrap.created || !backend.clustered)) await ensureDemo(firstAdmin);

  const app = express();
  app.disable('x-powered-by');
  const trustedProxies = config.trustProxy.split(',').map((entry) => entry.trim());
  app.set('trust proxy', trustedProxies);
  // A client inside a trusted range can claim any address at each request, and sign-in throttling
  // counts by address: only the balancer's own address should be named.
  if (trustedProxies.some((entry) => entry === 'uniquelocal' || entry === 'linklocal')) {
    logger.warn({ trustProxy: config.trustProxy }, "TRUST_PROXY trusts a whole network range, whose clients can pose as any address: name the balancer's own address");
  }
  // Security headers on every response. The web app's Content-Security-Policy is SvelteKit's
  // (kit.csp, with hashes of its own inline scripts); the API's is helmet's strict default.
  app.use(
    helmet({
      contentSecurityPolicy: false,
      // HSTS only makes sense over TLS; behind a TLS proxy `request.secure` is true and helmet's default applies.
      strictTransportSecurity: config.secureCookies ? undefined : false,
    }),
  );
  // Pages and API answers compressed when no other site can have asked for them (see `mayCompress`).
  app.use(compressAnswers());
  app.use('/api', helmet.contentSecurityPolicy({ useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }));
  // API answers carry personal data and session state: no browser or shared cache may keep them.
  app.use('/api', (_request, response, next) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use('/api', rejectCrossSiteRequests);
  const http = createServer(app);
  const trustsProxy = app.get('trust proxy fn') as (address: string, hop: number) => boolean;
  const connectionLimiter =
    config.maxConnectionsPerSecond > 0
      ? createConnectionLimiter({ perSecond: config.maxConnectionsPerSecond, burst: config.maxConnectionsPerSecond * 4, isTrusted: (address) => trustsProxy(address, 0) })
      : null;
  if (connectionLimiter) http.on('connection', connectionLimiter.onConnection);

  const io = new SocketServer<ClientToServerEvents, ServerToClientEvents>(http, {
    path: '/socket.io',
    serveClient: false,
    // Upgrades for /sync are ours; socket.io must not close them.
    destroyUpgrade: false,
    maxHttpBufferSize: config.maxJsonBodyBytes,
    // With several processes, socket.io events (board lists, refusals, notifications, meetings) reach
    // clients connected to any of them.
    adapter: backend.socketIoAdapter,
  });
  io.use((socket, next) => {
    const token = typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : null;
    const request = socket.request;
    if (token) request.headers.authorization = `Bearer ${token}`;
    auth
      .authenticate(request)
      .then((principal) => {
        if (!principal) return next(new Error('unauthorized'));
        socket.data.principal = principal;
        // Guests only ever hear about themselves (and, through meetings, their board): never the
        // workspace's list of boards.
        void socket.join(principal.kind === 'member' ? ['workspace', personRoom(principal.id)] : [personRoom(principal.id)]);
        next();
      })
      .catch((error: unknown) => next(error instanceof Error ? error : new Error('internal')));
  });
  io.on('connection', (socket) => {
    const principal = socket.data.principal as Principal;
    const cancelExpiry = armExpiry(principal.expiresAt, () => {
      socket.emit('access:ended', { reason: 'expired' });
      socket.disconnect(true);
    });
    socket.once('disconnect', cancelExpiry);
  });
  const publishBoardEvent = createBoardListPublisher(io, access, logger);

  const mailNotification = createNotificationMailer({ people, mail, appUrl: () => config.publicUrl ?? url, logger });
  const notify = createNotifier({
    activity,
    logger,
    emit: (userId, notification) => io.to(personRoom(userId)).emit('notification', notification),
    onStored: mailNotification,
    clock: parts.clock,
  });
  const boardChanges = createBoardChangeListener({ people, directory, activity, notify, logger });
  const workspaceChanges = createWorkspaceChangeListener({ activity, logger });
  const sync = new SyncServer({
    documents,
    directory,
    auth,
    access,
    fanout: backend.fanout,
    logger,
    metrics: metrics.sync,
    onBoardChange: (change) => {
      boardChanges(change);
      versions.onBoardChange(change);
      progressEvents.onBoardChange(change);
      webhooks.onBoardChange(change);
    },
    onProposalChange: (change) => progressEvents.onProposalChange(change),
    onDocumentContent: (name, doc) => searchIndexer.documentChanged(name, doc),
    onWorkspaceChange: (change) => {
      workspaceChanges(change);
      versions.workspace.onWorkspaceChange(change);
      webhooks.onWorkspaceChange(change);
    },
    ...refusalEvents(io, { onWorkspaceRefused: (refusal) => workspaceChanges.refused(refusal) }),
    maxFrameBytes: config.maxFrameBytes,
    maxDocumentBytes: config.maxDocumentBytes,
    maxMessagesPerSecond: config.maxMessagesPerSecond,
    syncLimits: parts.syncLimits,
    orphanSweepGraceMs: config.orphanSweepGraceMs,
    compactThreshold: config.compactThreshold,
    unloadDelayMs: config.unloadDelayMs,
  });
  const webhooks = new WebhookService({
    store: backend.webhooks,
    logger,
    sync,
    allowPrivateAddresses: config.webhookAllowPrivateAddresses,
    ...parts.webhookTiming,
  });
  // The index follows every document this process changes; one never indexed is indexed in the background.
  const searchIndexer = new SearchIndexer({ index: backend.search, documents, liveDocument: (name) => sync.documentOf(name), logger });
  searchIndexer.buildIfNeeded();
  const versions = new VersionService({ store: backend.versions, directory, documents, sync, logger, history: activity, workspaceHistory: workspaceChanges, autoIntervalMs: parts.versionIntervalMs,
    maxNamedPerBoard: config.versionMaxNamedPerBoard,
    maxVersionBytesPerBoard: config.versionMaxBytesPerBoard,
    ...parts.versionLimits,
  });
  const archiver = new WorkspaceArchiver({ people, directory, documents, versionStore: backend.versions, versions, sync, logger });
  // What proposals' progress is read from: live documents, and the store for those never opened.
  const proposalSources: ProgressSources = {
    read: (name, read) => sync.readDocument(name, read),
    exists: async (name) => sync.documentOf(name) !== undefined || (await documents.load(name)).updates.length > 0,
    resolveTemplate: resolveProposalTemplate,
  };
  const mailScheduler = new MailScheduler({
    schedule: config.mailSchedule,
    mail,
    people,
    directory,
    activity,
    claims: accounts.mailSchedule,
    access,
    sources: proposalSources,
    appUrl: () => config.publicUrl ?? url,
    logger,
    clock: parts.clock,
    // A test that brings its own clock runs the passes itself.
    intervalMs: parts.clock ? 0 : undefined,
  });
  const calendarOptions: CalendarRouterOptions = { calendars: accounts.calendars, people, directory, access, sources: proposalSources, publicUrl: config.publicUrl, timeZone: config.mailSchedule.timeZone };
  const progressEvents = createProgressEvents({ io, access, sources: proposalSources, logger });
  const meetings = registerMeetings(io, {
    access,
    sync,
    logger,
    state: backend.meetingState,
    currentPrincipal: (principal) => auth.currentPrincipal(principal),
  });
  metrics.observe({
    openDocuments: () => sync.census().rooms,
    syncConnections: () => sync.census().connections,
    socketIoConnections: () => io.of('/').sockets.size,
    meetings: () => meetings.census(),
  });
  const metricsListener =
    config.metricsPort === null ? null : createMetricsListener({ metrics, host: config.metricsHost, port: config.metricsPort, token: config.metricsToken, logger });
  // Access changes reach live connections on every process (Redis mode announces them to the others).
  const live = createLiveAccess({
    io,
    sync,
    revalidateMeetings: (boardId) => meetings.revalidate(boardId),
    revalidatePerson: (userId) => meetings.revalidatePerson(userId),
    currentPrincipal: (principal) => auth.currentPrincipal(principal),
    clustered: backend.clustered,
    logger,
  });
  // Every upgrade has exactly one owner: /sync/ is ours, socket.io's path is socket.io's (its own
  // listener takes it; `destroyUpgrade: false` keeps it off the others), and any other is refused
  // here. An upgrade nobody answers is never closed: a loop of them would exhaust the descriptors.
  const socketIoPath = `${io.path()}/`;
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (sync.handles(request)) sync.handleUpgrade(request, socket, head);
    else if (!(request.url ?? '').startsWith(socketIoPath)) refuseUpgrade(socket, 404);
  });

  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok', openBoards: sync.openBoards.length });
  });
  // Each part answers for itself; in-memory ones (no `ping`) have nothing to lose touch with.
  app.get('/readyz', readinessHandler(backend.readiness, { logger }));
  // Bearer-only on this port; 404 without METRICS_TOKEN (docs/operations.md).
  app.get('/metrics', publicMetricsHandler(metrics, { token: config.metricsToken, logger }));
  app.use(
    '/api',
    createApiRouter({
      auth,
      accounts,
      access,
      audit,
      live,
      loginLimiter: parts.loginLimiter ?? backend.loginLimiter,
      resetLimiter: parts.resetLimiter ?? backend.resetLimiter,
      resets: new PasswordResets(people),
      mail,
      mailFrom: config.mail?.from ?? null,
      background,
      onLoginFailure: (reason) => metrics.loginFailed(reason),
      publicUrl: config.publicUrl,
      maxJsonBodyBytes: config.maxJsonBodyBytes,
      secureCookies: config.secureCookies,
      publishBoardEvent,
      deleteBoardDocument: async (boardId) => {
        await live.deleteBoard(boardId);
        await versions.forgetBoard(boardId);
        await searchIndexer.boardDeleted(boardId, boardDocumentNames(boardId));
        await webhooks.boardDeleted(boardId);
      },
      search: createSearch({ index: backend.search, directory, access }),
      onFirstAdmin: ensureDemo,
      oidc: config.oidc ? { signIn: new OidcSignIn(config.oidc), config: config.oidc } : null,
      saml: config.saml
        ? { signIn: new SamlSignIn(config.saml, { onMetadataError: (error) => logger.warn({ err: error }, 'SAML identity provider metadata could not be read') }), config: config.saml }
        : null,
      requireSso: config.requireSso,
      extraRoutes: [
        createCollaborationRouter({ people, directory, activity, access, sync, notify, history: boardChanges }),
        createWorkspaceRouter({ activity, history: workspaceChanges }),
        createVersionRouter({ directory, access, versions, archiver, audit, publishBoardEvent }),
        createWorkspaceVersionsRouter({ versions: versions.workspace, audit }),
        createFirstScreenRouter({ access, documents, live: (boardId) => sync.documentOf(boardId) }),
        createProposalRouter({ access, directory, sources: proposalSources }),
        createTemplateRouter({ sync, audit }),
        createProposalCommentsRouter({ people, directory, access, sync, notify }),
        createCalendarRouter(calendarOptions),
        createAgreementRouter({ readWorkspace: (read) => sync.readDocument(WORKSPACE_DOC, (doc) => read(new WorkspaceDoc(doc))) }),
        createSheetRouter({ access, directory, sync, publishBoardEvent }),
        createCardsRouter({ sync }),
        createRecordsRouter({ sync }),
        createOpenApiRouter(),
        createWebhookRouter({ webhooks, directory, audit, allowPrivateAddresses: config.webhookAllowPrivateAddresses }),
      ],
    }),
    apiErrorHandler(logger),
  );
  // Calendar applications fetch feeds by their secret address alone, outside `/api` and its session.
  app.use(createCalendarFeedRoute(calendarOptions));

  if (parts.serveWeb ?? true) {
    const handlerPath = `${WEB_BUILD_DIR}handler.js`;
    if (existsSync(handlerPath)) {
      const { handler } = (await import(handlerPath)) as { handler: express.RequestHandler };
      // A board's page carries its first screen, painted before the app's scripts run.
      const readFirstScreen = createFirstScreenReader({ documents, live: (boardId) => sync.documentOf(boardId) });
      app.get('/boards/:boardId', firstScreenPage({ auth, access, directory, read: readFirstScreen, stylesheet: buildStylesheets(`${WEB_BUILD_DIR}client`) }));
      app.use(handler);
    } else {
      logger.warn({ handlerPath }, 'the web app is not built; run `npm run build`');
      app.use((_request, response) => {
        response.status(503).type('text/plain').send('The Passerelle web app is not built. Run `npm run build`, then restart.\n');
      });
    }
  }

  let url = '';
  let metricsUrl: string | null = null;
  let setupUrl: string | null = null;
  let closing: Promise<void> | null = null;
  const server: PasserelleServer = {
    config,
    logger,
    http,
    app,
    sync,
    auth,
    accounts,
    mail,
    mailScheduler,
    get url() {
      return url;
    },
    get metricsUrl() {
      return metricsUrl;
    },
    get setupUrl() {
      return setupUrl;
    },
    listen: () =>
      new Promise<string>((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.port, config.host, () => {
          http.off('error', reject);
          const { port } = http.address() as AddressInfo;
          const host = config.host.includes(':') ? `[${config.host}]` : config.host;
          url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
          if (bootstrap.setupToken) {
            setupUrl = `${config.publicUrl ?? url}/setup?token=${bootstrap.setupToken}`;
          }
          logger.info({ url, port, dataDir: config.dataDir }, 'Passerelle is listening');
          resolve(url);
        });
      }).then(async (listening) => {
        if (metricsListener) metricsUrl = await metricsListener.listen();
        return listening;
      }),
    close: () =>
      (closing ??= (async () => {
        // socket.io's close also closes the HTTP server; sockets of sync are closed by sync.close().
        connectionLimiter?.stop();
        await metricsListener?.close();
        progressEvents.close();
        // Before the boards close: a running pass reads them.
        await mailScheduler.close();
        await sync.close();
        // After every board is stored and before the stores close: what is waiting is indexed.
        await searchIndexer.close();
        // After every board is stored, before the stores close: pending automatic versions are taken.
        await versions.close();
        await meetings.close();
        await boardChanges.close();
        await workspaceChanges.close();
        // After every board is stored (its last changes queued), before the stores close.
        await webhooks.close();
        await Promise.all(backgroundWork);
        await mail.close();
        await new Promise<void>((resolve) => {
          void io.close(() => resolve());
          http.closeAllConnections();
        });
        // Last: every store and connection, once nothing writes through them any more.
        await backend.close();
      })()),
  };
  return server;
}

/** Answers an upgrade request with an HTTP error and closes its socket once the answer is sent. */
function refuseUpgrade(socket: Duplex, status: number): void {
  // A client that already left makes the write fail; the socket is destroyed either way.
  socket.on('error', () => socket.destroy());
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
