// A single-page app: the server only serves the shell, and every page talks to the API itself.
export const ssr = false;
export const prerender = false;
