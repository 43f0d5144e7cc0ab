import type { Me } from '@passerelle/shared';
import { error, redirect } from '@sveltejs/kit';
import { api, ApiError } from '#lib/api.js';
import { t } from '#lib/i18n.svelte.js';
import { rememberedAccount } from '#lib/offline/local-copies.js';
import { session } from '#lib/session.svelte.js';
import type { LayoutLoad } from './$types';

/**
 * Every page in this group needs a signed-in person; without one, go sign in and come back. A partner
 * guest sees only the board they were invited to and its proposals' texts: any other page leads back to it.
 */
export const load: LayoutLoad = async ({ url }) => {
  let me: Me;
  try {
    me = await api.me();
    session.signedIn(me);
  } catch (cause) {
    // Offline, a member who was signed in here opens what this browser kept of theirs; the server
    // still checks their session when the connection returns.
    const remembered = cause instanceof ApiError && cause.code === 'network' ? rememberedAccount() : null;
    if (remembered) {
      session.signedIn(remembered);
      return { me: remembered };
    }
    if (cause instanceof ApiError && cause.code === 'unauthorized') {
      session.refused = true;
      const here = `${url.pathname}${url.search}`;
      redirect(307, here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`);
    }
    error(cause instanceof ApiError && cause.status ? cause.status : 503, t(cause instanceof ApiError ? `error.${cause.code}` : 'error.internal'));
  }
  if (me.guest) {
    // The board itself and its proposals' texts (the server still checks each proposal).
    const boardPath = `/boards/${me.guest.boardId}`;
    if (url.pathname !== boardPath && !url.pathname.startsWith(`${boardPath}/proposals/`)) redirect(307, boardPath);
  }
  return { me };
};
