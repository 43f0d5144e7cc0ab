import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

/** Where `npm run dev` (the root script) runs the API server. */
const apiServer = 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [
    sveltekit({
      compilerOptions: { runes: true },
      // The Express server mounts build/handler.js, so the app and the API share one origin and cookie.
      adapter: adapter({ out: 'build' }),
      // Absolute asset paths: every route's page is then the same shell, which the service worker
      // keeps once and serves for any page while offline.
      paths: { relative: false },
      // Content-Security-Policy of every page, sent as a header with hashes of SvelteKit's own inline
      // scripts: no script from anywhere else runs. Styles allow inline attributes (Svelte's style:
      // directives and the chart library set them).
      csp: {
        mode: 'hash',
        directives: {
          'default-src': ['self'],
          'script-src': ['self'],
          'style-src': ['self', 'unsafe-inline'],
          'img-src': ['self', 'data:', 'blob:'],
          'font-src': ['self'],
          'connect-src': ['self'],
          'object-src': ['none'],
          'base-uri': ['self'],
          'form-action': ['self'],
          'frame-ancestors': ['none'],
        },
      },
    }),
  ],
  server: {
    // Same-origin in development too, so the session cookie and the WebSocket URLs work unchanged.
    proxy: {
      '/api': apiServer,
      '/healthz': apiServer,
      '/socket.io': { target: apiServer, ws: true },
      '/sync': { target: apiServer, ws: true },
    },
  },
});
