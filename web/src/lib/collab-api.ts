/**
 * Comments, sign-off requests, notifications and board history. Same client as `api.ts`: every
 * failure is an `ApiError`.
 */
import type { AppNotification, CommentMention, CreateCommentRequest, Department, HistoryEntry } from '@passerelle/shared';
import { request } from './api.js';

const segment = encodeURIComponent;
const cardPath = (boardId: string, cardId: string) => `/api/boards/${segment(boardId)}/cards/${segment(cardId)}`;

/** What `GET /api/notifications` returns: the latest notifications and how many are unread. */
export interface NotificationList {
  notifications: AppNotification[];
  unread: number;
}

/** The API's collaboration endpoints, one function each. */
export const collabApi = {
  /** Posts a comment (the server writes it into the board); mentions are member ids. */
  addComment: (boardId: string, cardId: string, body: CreateCommentRequest) =>
    request<{ id: string; mentions: CommentMention[] }>('POST', `${cardPath(boardId, cardId)}/comments`, body),
  deleteComment: (boardId: string, cardId: string, commentId: string) =>
    request<void>('DELETE', `${cardPath(boardId, cardId)}/comments/${segment(commentId)}`),
  /** Notifies the members of a department that a proposal waits for their sign-off. */
  requestSignOff: (boardId: string, cardId: string, department: Department) =>
    request<{ notified: number }>('POST', `${cardPath(boardId, cardId)}/sign-off-requests`, { department }),

  listNotifications: (limit?: number) => request<NotificationList>('GET', `/api/notifications${limit ? `?limit=${limit}` : ''}`),
  /** Marks the given notifications (all, without ids) as read. */
  markNotificationsRead: (ids?: string[]) => request<void>('POST', '/api/notifications/read', ids ? { ids } : {}),

  /** A board's history, newest first; with `cardId`, that card's only. */
  history: (boardId: string, query: { cardId?: string; before?: number; limit?: number } = {}) => {
    const params = new URLSearchParams();
    if (query.cardId) params.set('cardId', query.cardId);
    if (query.before) params.set('before', String(query.before));
    if (query.limit) params.set('limit', String(query.limit));
    const search = params.size ? `?${params}` : '';
    return request<{ entries: HistoryEntry[] }>('GET', `/api/boards/${segment(boardId)}/history${search}`);
  },
};
