import { page } from '$app/state';
import { onMount } from 'svelte';
import { ApiError } from '#lib/api.js';
import { Submission } from '#lib/submission.svelte.js';

/** Why a link cannot be used: unknown (or revoked, or already used) or expired. */
export type DeadLink = 'not_found' | 'expired';

/** Sorts the answers that mean the link itself is no good from the other failures. */
function deadLinkReason(error: unknown): DeadLink | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === 'invitation_expired' || error.status === 410) return 'expired';
  if (error.code === 'not_found') return 'not_found';
  return null;
}

/**
 * A link someone was sent (a colleague's invitation, a partner's guest link), its token the page's
 * `token` parameter: what it opens, asked when the page opens, then the form that uses it. A link
 * found dead, on opening or on sending, says why instead. Create it while the page starts.
 */
export class InviteLink<Preview> {
  preview = $state<Preview | null>(null);
  dead = $state<DeadLink | null>(null);
  /** A failure to ask what the link opens, other than a dead link. */
  loadFailure = $state<unknown>(null);
  readonly submission = new Submission();

  constructor(ask: (token: string) => Promise<Preview>) {
    onMount(() => void this.#load(ask));
  }

  get token(): string {
    return page.params.token ?? '';
  }

  async #load(ask: (token: string) => Promise<Preview>): Promise<void> {
    try {
      this.preview = await ask(this.token);
    } catch (error) {
      this.dead = deadLinkReason(error);
      if (!this.dead) this.loadFailure = error;
    }
  }

  /** Sends the form through `Submission.run`; an answer that the link is dead turns the page into that. */
  submit(action: () => Promise<unknown>, valid?: () => boolean): Promise<void> {
    return this.submission.run(action, {
      valid,
      onError: (error) => {
        this.dead = deadLinkReason(error);
        if (!this.dead) this.submission.failure = error;
      },
    });
  }
}
