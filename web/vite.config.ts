import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

/** Where `npm run dev` (the root script) runs the API server. */
const apiServer = 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit()],
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
