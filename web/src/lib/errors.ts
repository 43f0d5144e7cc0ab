/**
 * The one place UI failures go: whatever failed (an API call, the network, a sync close), the person
 * sees a message in their language, and an expired session sends them to the sign-in page.
 */
import { goto } from '$app/navigation';
import type { MessageKey } from '@passerelle/shared';
import { ApiError } from './api.js';
import { t } from './i18n.svelte.js';
import { toasts } from './toasts.svelte.js';

/** The translated message for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return t(`error.${error.code}` as MessageKey);
  return t('error.internal');
}

/** The sign-in URL that brings the person back to where they are now. */
export function loginUrl(): string {
  const here = `${location.pathname}${location.search}`;
  return here === '/' || here.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}

/**
 * Shows a failure to the person. An `unauthorized` answer means the session ended: go sign in.
 * Returns the message, for forms that also show it inline.
 */
export function handleError(error: unknown): string {
  const message = errorMessage(error);
  if (error instanceof ApiError && error.code === 'unauthorized' && !location.pathname.startsWith('/login')) {
    void goto(loginUrl());
    return message;
  }
  if (!(error instanceof ApiError)) console.error(error);
  toasts.show({ kind: 'error', message });
  return message;
}
