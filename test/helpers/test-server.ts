import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { createApp, type AppParts, type PasserelleServer } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { ADMIN } from './server-process.js';
import { eventually, stockClient, synced, syncUrlOf } from './stock-client.js';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Department, GuestInviteCreated, GuestRole, Me, MeetingReply, ServerToClientEvents } from '@passerelle/shared';

export { ADMIN, eventually, synced };

/** A fresh data directory, removed by the returned function. */
export function tempDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What a test server is started with besides its data directory: environment and parts. */
export type TestServerOptions = { env?: Record<string, string> } & AppParts;

/** A server in this process, on a free port, API only (no web app), with the test administrator. */
export async function startTestServer(options: { dataDir: string } & TestServerOptions): Promise<PasserelleServer> {
  const { dataDir, env, ...parts } = options;
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'silent',
    // Tests start from an empty workspace unless they ask for the demo.
    DEMO_WORKSPACE: 'false',
    ...env,
  });
  const server = await createApp(config, { serveWeb: false, ...parts });
  await server.listen();
  return server;
}

/** Signs in and returns the session cookie header value. */
export async function login(baseUrl: string, credentials: { email: string; password: string } = ADMIN): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('passerelle_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0];
}

/** Calls the JSON API with a cookie or bearer token; returns status and parsed body. */
export async function api<T = unknown>(
  baseUrl: string,
  path: string,
  init: { method?: string; body?: unknown; cookie?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.cookie) headers.cookie = init.cookie;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

/** Creates a personal API token for the admin and returns its secret. */
export async function adminToken(baseUrl: string): Promise<string> {
  const cookie = await login(baseUrl);
  const { body } = await api<{ token: string }>(baseUrl, '/api/tokens', { method: 'POST', body: { name: 'tests' }, cookie });
  return body.token;
}

/** Creates a board and returns its id. */
export async function createBoard(baseUrl: string, token: string, title = 'Board'): Promise<string> {
  const { status, body } = await api<{ id: string }>(baseUrl, '/api/boards', { method: 'POST', body: { title }, token });
  if (status !== 201) throw new Error(`board creation failed: ${status}`);
  return body.id;
}

/** A stock y-websocket client of a document by API token. */
export function connectClient(baseUrl: string, boardId: string, token: string, doc = new Y.Doc()): { doc: Y.Doc; provider: WebsocketProvider } {
  return stockClient(syncUrlOf(baseUrl), boardId, { doc, params: { token } });
}

/** Opens a raw WebSocket to a URL and collects what it receives until it closes. */
export function rawSocket(url: string, headers: Record<string, string> = {}): {
  socket: WebSocket;
  received: Buffer[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
} {
  const socket = new WebSocket(url, { headers });
  const received: Buffer[] = [];
  socket.on('message', (data: Buffer) => received.push(data));
  socket.on('error', () => {});
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('close', () => reject(new Error('closed before open')));
  });
  opened.catch(() => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  return { socket, received, opened, closed };
}

/** A partner who joined a board through a guest invite link. */
export interface JoinedGuest {
  /** The guest's session cookie (`passerelle_session=…`). */
  cookie: string;
  invite: GuestInviteCreated;
  me: Me;
}

/**
 * Creates a guest invite on a board as a member who may (`as`: their API token or session cookie),
 * then joins through the link as a partner would, on `joinAt` (default: the same server; with
 * several processes, a balancer may send the partner to another).
 */
export async function joinAsGuest(options: {
  serverUrl: string;
  as: { token: string } | { cookie: string };
  boardId: string;
  role?: GuestRole;
  name?: string;
  organisation?: string;
  joinAt?: string;
  /** A language the partner chose on the link's page, sent with the join. */
  locale?: 'fr' | 'en';
  /** The Accept-Language header of the join (a browser's language). */
  acceptLanguage?: string;
}): Promise<JoinedGuest> {
  const { serverUrl, boardId } = options;
  const organisation = options.organisation ?? 'Universidade do Porto';
  const invite = await api<GuestInviteCreated>(serverUrl, `/api/boards/${boardId}/guest-invites`, {
    method: 'POST',
    ...options.as,
    headers: { origin: serverUrl },
    body: { role: options.role ?? 'viewer', label: organisation, expiresInHours: 24 },
  });
  if (invite.status !== 201) throw new Error(`guest invite refused: ${invite.status} ${JSON.stringify(invite.body)}`);
  const joinAt = options.joinAt ?? serverUrl;
  const secret = invite.body.url.split('/guest/')[1];
  const response = await fetch(`${joinAt}/api/guest-invites/${secret}/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: joinAt, ...(options.acceptLanguage ? { 'accept-language': options.acceptLanguage } : {}) },
    body: JSON.stringify({ name: options.name ?? 'Ana Sousa', organisation, ...(options.locale ? { locale: options.locale } : {}) }),
  });
  if (response.status !== 201) throw new Error(`joining as a guest failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('passerelle_session='));
  if (!cookie) throw new Error('no guest session cookie');
  return { cookie: cookie.split(';')[0]!, invite: invite.body, me: (await response.json()) as Me };
}

/** A colleague created by the administrator, signed in, with an API token: their id and token. */
export async function createMember(baseUrl: string, key: string, departments: Department[]): Promise<{ id: string; token: string }> {
  const admin = await login(baseUrl);
  const email = `${key}@example.org`;
  const created = await api<{ id: string }>(baseUrl, '/api/users', { method: 'POST', body: { email, password: 'a-long-password', name: key, departments }, cookie: admin });
  if (created.status !== 201) throw new Error(`member creation failed: ${created.status}`);
  const cookie = await login(baseUrl, { email, password: 'a-long-password' });
  const token = await api<{ token: string }>(baseUrl, '/api/tokens', { method: 'POST', body: { name: 't' }, cookie });
  return { id: created.body.id, token: token.body.token };
}

/**
 * The administrator under `adminKey`, and a member per other key with those departments, named after
 * the key and created in that order: the id, name and API token of each.
 */
export async function peopleByKey(
  baseUrl: string,
  adminKey: string,
  departments: Record<string, Department[]>,
): Promise<Record<string, { id: string; name: string; token: string }>> {
  const people: Record<string, { id: string; name: string; token: string }> = { [adminKey]: await signedInAdmin(baseUrl) };
  for (const [key, ofKey] of Object.entries(departments)) people[key] = { ...(await createMember(baseUrl, key, ofKey)), name: key };
  return people;
}

/** Rejects when `promise` has not settled within `ms`: a wait for something that never comes fails fast. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** A socket.io connection as the meeting tests hold it: by API token (as a script's) or session cookie (as a browser's); `track` receives its cleanup. */
export async function connectedSocket(
  baseUrl: string,
  credentials: { token: string } | { cookie: string },
  track: (cleanup: () => void) => void,
): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connectSocketIo(baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    ...('token' in credentials ? { auth: { token: credentials.token } } : { extraHeaders: { cookie: credentials.cookie, origin: baseUrl } }),
  });
  track(() => socket.disconnect());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Emits a client event and waits (5 s at most) for the server's acknowledgement. */
export function sendAndAck<E extends keyof ClientToServerEvents>(
  socket: Socket<ServerToClientEvents, ClientToServerEvents>,
  event: E,
  message: Parameters<ClientToServerEvents[E]>[0],
): Promise<MeetingReply<unknown>> {
  return (socket.timeout(5000) as any).emitWithAck(event, message);
}

/** The administrator as a member of the tests: their id and name, session cookie and an API token. */
export async function signedInAdmin(baseUrl: string): Promise<{ id: string; name: string; cookie: string; token: string }> {
  const cookie = await login(baseUrl);
  const me = await api<{ id: string; name: string }>(baseUrl, '/api/auth/me', { cookie });
  const token = await api<{ token: string }>(baseUrl, '/api/tokens', { method: 'POST', body: { name: 't' }, cookie });
  return { id: me.body.id, name: me.body.name, cookie, token: token.body.token };
}

/** `api` as the holder of a session cookie, from the server's own origin (as the web app calls it). */
export function apiWithCookie(baseUrl: string, cookie: string) {
  return <T>(path: string, init: { method?: string; body?: unknown } = {}) => api<T>(baseUrl, path, { ...init, cookie, headers: { origin: baseUrl } });
}

/** Signs in and creates a board from the web app's origin: the session cookie and the board's id. */
export async function signInWithBoard(baseUrl: string, title: string): Promise<{ adminCookie: string; boardId: string }> {
  const adminCookie = await login(baseUrl);
  const created = await apiWithCookie(baseUrl, adminCookie)<{ id: string }>('/api/boards', { method: 'POST', body: { title } });
  if (created.status !== 201) throw new Error(`board creation failed: ${created.status}`);
  return { adminCookie, boardId: created.body.id };
}

/** Creates a person through the administrators' API as the holder of `adminCookie`; returns their id. */
export async function createUser(
  baseUrl: string,
  adminCookie: string,
  person: { email: string; password: string; name: string; departments?: string[] },
): Promise<string> {
  const created = await apiWithCookie(baseUrl, adminCookie)<{ id: string }>('/api/users', { method: 'POST', body: person });
  if (created.status !== 201) throw new Error(`creating ${person.email} failed: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}

/** A workspace member with a password created by the holder of `adminCookie`, signed in: their cookie and id. */
export async function memberWithCookie(baseUrl: string, adminCookie: string, email: string, departments?: string[]): Promise<{ cookie: string; id: string }> {
  const body = { email, password: 'a-long-password', name: email.split('@')[0], ...(departments ? { departments } : {}) };
  const created = await apiWithCookie(baseUrl, adminCookie)<{ id: string }>('/api/users', { method: 'POST', body });
  if (created.status !== 201) throw new Error(`member creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  return { cookie: await login(baseUrl, { email, password: 'a-long-password' }), id: created.body.id };
}
