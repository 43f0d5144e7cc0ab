import type { Logger } from 'pino';
import { newId, type AppNotification } from '@passerelle/shared';
import type { ActivityStore } from '../store/account-store.js';

/** Pushes a stored notification to a person's open apps (socket.io room `user:<id>`, event `notification`). */
export type NotificationEmitter = (userId: string, notification: AppNotification) => void;

/** What a notification is about; the notifier gives it its id, time and unread state. */
export type NewNotification = Omit<AppNotification, 'id' | 'at' | 'readAt'>;

/** Stores a notification for a person, then pushes it live. Never rejects: a failure is logged. */
export type Notify = (userId: string, notification: NewNotification) => Promise<void>;

/**
 * The one way notifications are sent: stored first (so the list is complete even for someone offline),
 * then emitted to the person's connected apps, then handed to `onStored` (the e-mail that follows).
 */
export function createNotifier(options: {
  activity: ActivityStore;
  emit: NotificationEmitter;
  logger: Logger;
  /** Runs after a notification is stored and pushed (its e-mail); must not reject. */
  onStored?: (userId: string, notification: AppNotification) => Promise<void>;
  /** The time now, which dates notifications (the e-mail scheduler's, so that a digest and what it gathers agree). */
  clock?: () => Date;
}): Notify {
  const { activity, emit, logger } = options;
  return async (userId, input) => {
    const notification: AppNotification = { ...input, id: newId(), at: (options.clock?.() ?? new Date()).toISOString(), readAt: null };
    try {
      await activity.createNotification(userId, notification);
      emit(userId, notification);
    } catch (error) {
      logger.error({ err: error, userId, kind: input.kind, boardId: input.boardId }, 'notification failed');
      return;
    }
    await options.onStored?.(userId, notification);
  };
}
