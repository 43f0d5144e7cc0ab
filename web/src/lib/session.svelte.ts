/** The signed-in person, shared by every page under the app layout. */
import type { Locale, Me } from '@passerelle/shared';
import { api } from './api.js';
import { handleError } from './errors.js';
import { locale } from './i18n.svelte.js';
import { adoptAccount, forgetAccount } from './offline/local-copies.js';
import { workspace } from './workspace.svelte.js';

class Session {
  me = $state<Me | null>(null);
  /**
   * The server has just answered that nobody is signed in here: the sign-in page it leads to need
   * not ask again.
   */
  refused = false;

  /** Records who signed in and switches to their saved language. */
  signedIn(me: Me): void {
    this.me = me;
    this.refused = false;
    adoptAccount(me);
    locale.adopt(me.locale);
  }

  /** Switches language now, and saves it on the person's account when signed in. */
  async changeLocale(next: Locale): Promise<void> {
    locale.set(next);
    if (!this.me) return;
    try {
      this.me = await api.updateMe({ locale: next });
    } catch (error) {
      handleError(error);
    }
  }

  /**
   * Reads the account again after an administrator changed it, so that what the app offers (record
   * forms, settings) follows the rights the server now applies. Kept as it was when the server
   * cannot be reached: the server's refusals still tell the person.
   */
  async reload(): Promise<void> {
    if (!this.me) return;
    try {
      const me = await api.me();
      if (this.me?.id === me.id) this.me = me;
    } catch {
      // Offline or signed out meanwhile: access:ended or the next page load tells.
    }
  }

  /**
   * The server ended this person's access: forget them, close what they had open and delete what
   * this browser kept of theirs.
   */
  async forget(): Promise<void> {
    this.me = null;
    this.refused = true;
    workspace.close();
    await forgetAccount();
  }

  async signOut(): Promise<void> {
    try {
      await api.logout();
    } catch (error) {
      handleError(error);
      return;
    }
    this.me = null;
    this.refused = true;
    workspace.close();
    // Their documents' local copies go with them: the next person at this computer finds nothing.
    await forgetAccount();
  }
}

/** The app's session. */
export const session = new Session();
