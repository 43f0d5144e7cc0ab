import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    // The Express server mounts build/handler.js, so the app and the API share one origin and cookie.
    adapter: adapter({ out: 'build' }),
  },
};

export default config;
