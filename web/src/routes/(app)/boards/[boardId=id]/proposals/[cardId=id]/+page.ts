import { error } from '@sveltejs/kit';
import { api, ApiError } from '#lib/api.js';
import { t } from '#lib/i18n.svelte.js';
import type { PageLoad } from './$types';

/** The board's summary (its title and the caller's role); a board that does not exist is a 404 before any socket opens. */
export const load: PageLoad = async ({ params, parent }) => {
  const { me } = await parent();
  try {
    return { me, summary: await api.getBoard(params.boardId), cardId: params.cardId };
  } catch (cause) {
    if (cause instanceof ApiError) error(cause.status || 503, t(`error.${cause.code}`));
    throw cause;
  }
};
