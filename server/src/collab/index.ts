/**
 * Comments, mentions, notifications and board history. The app wires three things:
 * `createNotifier` (stores and pushes notifications), `createBoardChangeListener` (the sync server's
 * `onBoardChange` hook) and `createCollaborationRouter` (the routes, mounted under `/api`).
 */
export { createBoardChangeListener, type BoardChangeListener, type BoardChangeListenerOptions } from './board-change-listener.js';
export { createCollaborationRouter, type CollaborationRouterOptions } from './router.js';
export { createNotifier, type NewNotification, type NotificationEmitter, type Notify } from './notifier.js';
export { WORKSPACE_HISTORY, createWorkspaceChangeListener, type WorkspaceChangeListener } from './workspace-history.js';
export { createWorkspaceRouter } from './workspace-router.js';
