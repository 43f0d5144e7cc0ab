/** The routes an Express app answers, read from its router: what the OpenAPI document must cover. */
import type express from 'express';

/** One route: its method and its path in OpenAPI's form (`/api/boards/{boardId}`). */
export interface RegisteredRoute {
  method: string;
  path: string;
}

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Express's `:name` parameters as OpenAPI's `{name}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

/** Every route of `app` (routers mounted with a fixed prefix or none), in the order they were registered. */
export function registeredRoutes(app: express.Express): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  const visit = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route && typeof layer.route.path === 'string') {
        for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') routes.push({ method, path: openApiPath(prefix + layer.route.path) });
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        visit(layer.handle.stack, prefix + mount);
      }
    }
  };
  visit((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return routes;
}
