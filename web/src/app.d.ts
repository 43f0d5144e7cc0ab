// See https://svelte.dev/docs/kit/types#app.d.ts
import type { FirstScreenPage } from '@passerelle/shared';

declare global {
  namespace App {
    // interface Error {}
    // interface Locals {}
    // interface PageData {}
    interface PageState {
      /** This history entry was added by opening a card on the board page: closing the card goes back. */
      openedCard?: boolean;
    }
    // interface Platform {}
  }
}

declare module 'node:http' {
  interface IncomingMessage {
    /** A board's first screen, put on its page's request by the server (`platform.req`): see `hooks.server.ts`. */
    firstScreenPage?: FirstScreenPage;
    /** Put with it: the text of the page's stylesheets by address, which the hook puts in the page. */
    pageStylesheet?: (href: string) => string | undefined;
  }
}

export {};
