/** Calendar feeds over HTTP: the requests and answers of `/api/calendar-feeds`. */
import { z } from 'zod';
import { isId } from './ids.js';

/** The path of a feed's secret address, under the server's public URL. */
export const CALENDAR_FEED_PATH = '/calendar';

/** A person's feed as listed: its secret address is shown only when created or renewed. */
export interface CalendarFeedSummary {
  id: string;
  /** The board whose dates it carries; null for the person's own actions and deadlines. */
  boardId: string | null;
  /** The board's title as it now is ('' for the person's own feed). */
  boardTitle: string;
  createdAt: string;
}

/** `GET /api/calendar-feeds`. */
export interface CalendarFeedListResponse {
  feeds: CalendarFeedSummary[];
}

/** `POST /api/calendar-feeds`: creates, or renews, the feed of a board (null: one's own). */
export const CreateCalendarFeedRequest = z.object({
  boardId: z.string().refine(isId).nullable(),
});
export type CreateCalendarFeedRequest = z.infer<typeof CreateCalendarFeedRequest>;

/** The answer to `POST /api/calendar-feeds`: the feed and its secret address, shown this once. */
export interface CreatedCalendarFeed {
  feed: CalendarFeedSummary;
  /** `https://…/calendar/<secret>.ics`. */
  url: string;
}

/** The `webcal://` form of a feed's address, which calendar applications open as a subscription. */
export function webcalUrl(url: string): string {
  return url.replace(/^https?:\/\//, 'webcal://');
}
