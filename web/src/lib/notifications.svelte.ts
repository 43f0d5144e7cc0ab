/**
 * This person's notifications (mentions, assignments, sign-off requests): the latest ones and the
 * unread count, loaded once and kept live over socket.io while any view follows them.
 */
import type { AppNotification } from '@passerelle/shared';
import { collabApi } from './collab-api.js';
import { handleError } from './errors.js';
import { t } from './i18n.svelte.js';
import { toasts } from './toasts.svelte.js';
import { subscribeToNotifications } from './workspace-events.js';

/** How many the header's dropdown and the list keep: older ones are on the server only. */
const KEEP = 100;

class NotificationCenter {
  items = $state.raw<AppNotification[]>([]);
  unread = $state(0);
  loaded = $state(false);
  #followers = 0;
  #stop: (() => void) | null = null;

  /** Loads the notifications and follows new ones until the returned function is called. */
  follow(): () => void {
    this.#followers += 1;
    if (this.#followers === 1) {
      void this.refresh();
      this.#stop = subscribeToNotifications(
        (notification) => this.#received(notification),
        () => void this.refresh(),
      );
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      this.#followers -= 1;
      if (this.#followers === 0) {
        this.#stop?.();
        this.#stop = null;
      }
    };
  }

  async refresh(): Promise<void> {
    try {
      const list = await collabApi.listNotifications(KEEP);
      this.items = list.notifications;
      this.unread = list.unread;
      this.loaded = true;
    } catch (error) {
      handleError(error);
    }
  }

  /** Marks some notifications (all, without ids) as read, here at once and then on the server. */
  async markRead(ids?: string[]): Promise<void> {
    const now = new Date().toISOString();
    const marked = new Set(ids ?? this.items.map((n) => n.id));
    const newlyRead = this.items.filter((n) => marked.has(n.id) && n.readAt === null).length;
    this.items = this.items.map((n) => (marked.has(n.id) && n.readAt === null ? { ...n, readAt: now } : n));
    this.unread = ids ? Math.max(0, this.unread - newlyRead) : 0;
    try {
      await collabApi.markNotificationsRead(ids);
    } catch (error) {
      handleError(error);
      await this.refresh();
    }
  }

  /** Clears what a signed-out person saw. */
  reset(): void {
    this.items = [];
    this.unread = 0;
    this.loaded = false;
  }

  #received(notification: AppNotification): void {
    if (this.items.some((n) => n.id === notification.id)) return;
    this.items = [notification, ...this.items].slice(0, KEEP);
    this.unread += 1;
    toasts.show({ kind: 'info', message: notificationText(notification), testId: 'notification-toast' });
  }
}

/** The signed-in person's notifications. */
export const notifications = new NotificationCenter();

/** One line saying what a notification is about, in the person's language. */
export function notificationText(notification: AppNotification): string {
  const params = { actor: notification.actorName ?? '', subject: notification.subject || t('notifications.untitled') };
  switch (notification.kind) {
    case 'mention':
      return t('notifications.mention', params);
    case 'assignment':
      return t('notifications.assignment', params);
    case 'sign_off_request':
      return t('notifications.signOffRequest', {
        ...params,
        department: notification.excerpt ? t(`department.${notification.excerpt}` as Parameters<typeof t>[0]) : '',
      });
  }
}

/** Where a notification leads: the card on its board (action items open in the actions view). */
export function notificationHref(notification: AppNotification): string {
  const board = `/boards/${encodeURIComponent(notification.boardId)}`;
  if (!notification.cardId) return board;
  if (notification.kind === 'assignment') return `${board}?view=actions&card=${encodeURIComponent(notification.cardId)}`;
  return `${board}?card=${encodeURIComponent(notification.cardId)}`;
}
