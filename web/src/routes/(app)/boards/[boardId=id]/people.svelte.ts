/**
 * The workspace's people (`GET /api/people`), for owners of action items. Loaded once per board visit.
 *
 * The fetch lives here rather than in `$lib/api.ts` only because this view owns no shared file; it
 * follows the same error shape (`ApiError`) so `handleError` shows it like any other failure.
 */
import type { ApiErrorBody, Person } from '@passerelle/shared';
import { ApiError } from '$lib/api.js';

export class People {
  list = $state.raw<Person[]>([]);
  loaded = $state(false);

  /** Fetches the people directory; throws `ApiError`. */
  async load(): Promise<void> {
    let response: Response;
    try {
      response = await fetch('/api/people', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    } catch (cause) {
      throw new ApiError(0, 'network', cause instanceof Error ? cause.message : 'fetch failed');
    }
    const payload = (await response.json().catch(() => undefined)) as { people?: Person[] } & Partial<ApiErrorBody>;
    if (!response.ok) throw new ApiError(response.status, payload?.error?.code ?? (response.status === 401 ? 'unauthorized' : 'internal'), payload?.error?.message ?? `HTTP ${response.status}`);
    this.list = [...(payload.people ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    this.loaded = true;
  }

  /** The person with this id, if they are still in the directory. */
  get(id: string | null | undefined): Person | undefined {
    return id ? this.list.find((person) => person.id === id) : undefined;
  }
}
