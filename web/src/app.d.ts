// See https://svelte.dev/docs/kit/types#app.d.ts
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

export {};
