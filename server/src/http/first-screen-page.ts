/**
 * A board's page with its first screen in it. A person who opens a board's address gets, in the
 * page itself, what the board's first screen shows (`FirstScreenResponse`), so that the browser
 * paints the columns and first cards with the page's first frame, before any script has run; the
 * web app's server hook (`web/src/hooks.server.ts`) draws it into the page from what this
 * middleware puts on the request.
 *
 * Only for someone who may read the board, a member or one of the board's partner guests (a
 * board's existence is not revealed to anyone else, whose page is the app's as always), for the
 * board view (`?view=` absent or `board`), only when a first screen is there, and not when the
 * browser keeps its own copy of the board (`LOCAL_COPY_COOKIE`) or shows the board in lanes
 * (`LANES_COOKIE`). A guest's is the same first screen
 * as the one the API gives them (card faces of the shareable document only). The page then carries
 * the board's content: no cache keeps it (`no-store`, which the service worker also reads as "not
 * the app's shell").
 */
import type { RequestHandler } from 'express';
import { parse as parseCookie } from 'cookie';
import { LANES_COOKIE, LOCAL_COPY_COOKIE, TIME_ZONE_COOKIE, can, isId, isTimeZone, pickLocale, regionalTag, type FirstScreenPage } from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import type { AuthService } from '../auth/auth-service.js';
import type { AccountStores } from '../store/account-store.js';
import type { FirstScreenResponse } from './first-screen-routes.js';

declare module 'node:http' {
  interface IncomingMessage {
    /** Set on a board's page request by `firstScreenPage`, read by the web app's server hook. */
    firstScreenPage?: FirstScreenPage;
    /** Set with it: the text of the page's stylesheets, which the hook puts in the page itself. */
    pageStylesheet?: (href: string) => string | undefined;
  }
}

export interface FirstScreenPageOptions {
  auth: Pick<AuthService, 'authenticate'>;
  access: Pick<BoardAccess, 'roleOf'>;
  directory: Pick<AccountStores['directory'], 'getBoard'>;
  read: (boardId: string) => Promise<FirstScreenResponse | null>;
  /** The build's stylesheets by address (`buildStylesheets`), for a page that carries its own. */
  stylesheet?: (href: string) => string | undefined;
}

/** `GET /boards/:boardId`: puts the board's first screen on the request for the web app, then goes on. */
export function firstScreenPage(options: FirstScreenPageOptions): RequestHandler {
  return (request, response, next) => {
    const boardId = String(request.params.boardId);
    const view = request.query.view;
    if (!isId(boardId) || (view !== undefined && view !== 'board') || !request.accepts('html')) {
      next();
      return;
    }
    void (async () => {
      const principal = await options.auth.authenticate(request);
      if (!principal) return;
      // This browser keeps its own copy of the board for this member: the app draws that.
      const cookies = request.headers.cookie ? parseCookie(request.headers.cookie) : {};
      if (cookies[LOCAL_COPY_COOKIE] === principal.id) return;
      // This person shows the board in lanes on this browser: the first screen has none.
      if (cookies[LANES_COOKIE] === principal.id) return;
      const role = await options.access.roleOf(principal, boardId);
      if (!role) return;
      const [board, screen] = await Promise.all([options.directory.getBoard(boardId), options.read(boardId)]);
      if (!board || !screen) return;
      const locale = (principal.kind === 'member' ? principal.user.locale : principal.guest.locale) ?? pickLocale(request.headers['accept-language']);
      request.firstScreenPage = {
        boardId,
        title: board.title,
        me: { id: principal.id, name: principal.name },
        locale,
        canEdit: can.edit(role),
        canComment: can.comment(role),
        canShare: can.manage(role),
        timeZone: isTimeZone(cookies[TIME_ZONE_COOKIE]) ? cookies[TIME_ZONE_COOKIE] : null,
        dateLocale: regionalTag(request.headers['accept-language'], locale),
        guest:
          principal.kind === 'guest'
            ? { organisation: principal.guest.organisation, expiresAt: principal.invite.expiresAt, role: principal.invite.role }
            : null,
        screen,
      };
      request.pageStylesheet = options.stylesheet;
      response.setHeader('Cache-Control', 'private, no-store');
    })()
      // The page without its first screen is still the page: the app then asks for it.
      .catch(() => undefined)
      .finally(() => next());
  };
}
