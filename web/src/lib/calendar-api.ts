/** Calendar feeds over the API. Same client as `api.ts`: every failure is an `ApiError`. */
import type { CalendarFeedListResponse, CreateCalendarFeedRequest, CreatedCalendarFeed } from '@passerelle/shared';
import { request } from './api.js';

/** The calendar feed endpoints, one function each. */
export const calendarApi = {
  /** The person's feeds (their own, and each board's they can still open); never their secret addresses. */
  list: () => request<CalendarFeedListResponse>('GET', '/api/calendar-feeds'),
  /** Creates the feed of a board (null: one's own), or renews it: the old address stops working. */
  create: (body: CreateCalendarFeedRequest) => request<CreatedCalendarFeed>('POST', '/api/calendar-feeds', body),
  /** Revokes a feed: its address answers 404 from now on. */
  revoke: (feedId: string) => request<void>('DELETE', `/api/calendar-feeds/${encodeURIComponent(feedId)}`),
};
