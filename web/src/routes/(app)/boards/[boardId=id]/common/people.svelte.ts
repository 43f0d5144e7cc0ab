/**
 * The workspace's people (`GET /api/people`), for owners of action items. Loaded once per board visit.
 */
import type { Person } from '@passerelle/shared';
import { api } from '#lib/api.js';

export class People {
  list = $state.raw<Person[]>([]);
  loaded = $state(false);

  /** Fetches the people directory; throws `ApiError`. */
  async load(): Promise<void> {
    const { people } = await api.listPeople();
    this.list = [...people].sort((a, b) => a.name.localeCompare(b.name));
    this.loaded = true;
  }

  /** The person with this id, if they are still in the directory. */
  get(id: string | null | undefined): Person | undefined {
    return id ? this.list.find((person) => person.id === id) : undefined;
  }
}
