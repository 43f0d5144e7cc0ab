/// <reference types="@sveltejs/kit" />
/**
 * The service worker: once visited, the app opens without network. It keeps the built app (the
 * shell page and every file of this build) in a cache named for the build, and nothing personal:
 * the API, the sync endpoint and socket.io are never cached and go to the network as they are (the
 * app keeps the little it needs offline in its own per-account storage, `lib/offline/`).
 *
 * - Files of the build: from the cache (they never change within a build), else the network. The
 *   browser reads the built scripts and styles (`/_app/immutable/`) from the cache itself, by a
 *   static route, without starting or waiting for this worker: a page opening loads some fifty of
 *   them, each of which would otherwise go through the worker's thread.
 * - Pages (navigations): the network first, so a new build is seen at once; the shell from the
 *   cache when the server cannot be reached. Every page of this single-page app is the same shell.
 *   No navigation preload: a navigation this worker leaves to the network (the API's, such as the
 *   single sign-on's return with its one-time code) would reach the server twice.
 * - A new build's worker takes over at once and deletes every older build's cache.
 */
import { version } from '$app/env';
import { assets, immutable } from '$app/manifest';

const sw = self as unknown as ServiceWorkerGlobalScope;

/** This build's cache; older builds' are deleted on activation. */
const CACHE = `passerelle-app-${version}`;
/** The shell page, kept under one key: every route serves the same one. */
const SHELL = '/';
/** What the shell needs: every file of the build and the static files, as absolute paths. */
const ASSETS = new Set([...immutable, ...assets].map(({ path }) => `/${path.replace(/^\/+/, '')}`));
/** Where the build's hashed files are served (SvelteKit's `appDir`). */
const IMMUTABLE_PATHS = '/_app/immutable/*';
/** Paths that are the server's, never the shell's: not answered from any cache. */
const SERVER_PATHS = ['/api/', '/sync', '/socket.io/', '/healthz', '/readyz', '/metrics'];

/** The static routing API (Chromium 123 and later; elsewhere every request comes to the worker's `fetch` handler). */
interface RoutingInstallEvent extends ExtendableEvent {
  addRoutes?: (rules: { condition: { urlPattern: { pathname: string }; requestMethod?: string }; source: { cacheName: string } }[]) => Promise<void>;
}

sw.addEventListener('install', (event) => {
  // Routed to this build's cache, and to the network when a file is not in it (the worker's own rule, without the worker).
  const routing = (event as RoutingInstallEvent).addRoutes?.([{ condition: { urlPattern: { pathname: IMMUTABLE_PATHS }, requestMethod: 'GET' }, source: { cacheName: CACHE } }]);
  event.waitUntil(
    (async () => {
      await routing?.catch(() => {});
      const cache = await caches.open(CACHE);
      await cache.addAll([...ASSETS, SHELL]);
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin || SERVER_PATHS.some((path) => url.pathname.startsWith(path))) return;
  if (ASSETS.has(url.pathname)) event.respondWith(fromCacheFirst(request, url.pathname));
  else if (request.mode === 'navigate') event.respondWith(page(request));
});

/** A file of the build: the cached one, else the network's. */
async function fromCacheFirst(request: Request, path: string): Promise<Response> {
  const cache = await caches.open(CACHE);
  return (await cache.match(path)) ?? fetch(request);
}

/** A page: the network's (the shell kept up to date with it), else the cached shell. */
async function page(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    const html = response.headers.get('content-type')?.startsWith('text/html') ?? false;
    // A page that carries a board's content (its first screen) is no one's shell: `no-store`.
    const personal = response.headers.get('cache-control')?.includes('no-store') ?? false;
    if (response.status === 200 && html && !response.redirected && !personal) await cache.put(SHELL, response.clone());
    return response;
  } catch (cause) {
    const shell = await cache.match(SHELL);
    if (shell) return shell;
    throw cause;
  }
}
