import { error } from '@sveltejs/kit';
import { api, ApiError } from '#lib/api.js';
import { t } from '#lib/i18n.svelte.js';
import { LANES_COOKIE, LOCAL_COPY_COOKIE } from '@passerelle/shared';
import { readBoardCookie } from '#lib/board-cookie.js';
import { forgetBoard, rememberBoard, rememberedAccountId, rememberedBoard } from '#lib/offline/local-copies.js';
import { removePreFirstScreen, takeSentFirstScreen } from '#lib/pre-first-screen.js';
import { boardLanesChosen } from './common/lane-choice.svelte.js';
import { fetchFirstScreen } from './first-screen/first-screen.js';
import type { PageLoad } from './$types';

/**
 * The board's summary (its title), asked at once beside the signed-in person; a board that does
 * not exist is a 404 before any socket opens.
 * Its stored first screen is asked for at once, beside it, and handed over unawaited: the page
 * draws it while the board syncs (null when the page has this browser's copy of the board, or shows
 * the board in lanes). When the page came with it (the server drew it in), that one is taken and
 * nothing is asked; nor is it when the board's own cookies say it will not be drawn (see
 * `drawnWithoutFirstScreen`).
 */
export const load: PageLoad = async ({ params, parent }) => {
  const sent = takeSentFirstScreen(params.boardId);
  const asked = sent ? Promise.resolve(sent) : drawnWithoutFirstScreen() ? null : fetchFirstScreen(params.boardId);
  // Asked beside the signed-in person rather than after them: one round trip less before the board.
  // (Someone the layout sends elsewhere never reads the answer.)
  const summaryRequest = api.getBoard(params.boardId);
  summaryRequest.catch(() => {});
  const { me } = await parent();
  // A board this member opened before is drawn from this browser's copy of it: nothing to draw over
  // it. Nor over a board this person shows in lanes here: the first screen has none.
  const inLanes = boardLanesChosen(me, params.boardId) !== 'none';
  if (inLanes) removePreFirstScreen();
  const firstScreen = rememberedBoard(params.boardId) || inLanes ? null : asked;
  try {
    const summary = await summaryRequest;
    rememberBoard(summary);
    return { me, summary, firstScreen };
  } catch (cause) {
    // Offline, a board this member opened before opens from what this browser kept.
    const remembered = cause instanceof ApiError && cause.code === 'network' ? rememberedBoard(params.boardId) : null;
    if (remembered) return { me, summary: remembered, firstScreen };
    // Deleted, or no longer this person's: what this browser kept of it must go.
    if (cause instanceof ApiError && (cause.status === 403 || cause.status === 404)) await forgetBoard(params.boardId);
    if (cause instanceof ApiError) error(cause.status || 503, t(`error.${cause.code}`));
    throw cause;
  }
};

/**
 * Whether the board's page, as this browser shows it to whoever is likely signed in here, draws
 * no first screen, known before the person is: the board's own cookies (on its path, seen when the
 * page is the board's) say this browser keeps a copy of it for the member last signed in here, or
 * shows it in lanes for them (for a guest, who is not remembered, for whoever set it). Someone
 * else signed in meanwhile opens the board without a first screen, as it syncs.
 */
function drawnWithoutFirstScreen(): boolean {
  const member = rememberedAccountId();
  const copyFor = readBoardCookie(LOCAL_COPY_COOKIE);
  const lanesFor = readBoardCookie(LANES_COOKIE);
  return (copyFor !== null && copyFor === member) || (lanesFor !== null && (member === null || lanesFor === member));
}
