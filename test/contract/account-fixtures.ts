/**
 * What the account stores' contract suites share: the fixture an implementation provides, the
 * records they write, and the per-test setup (a fresh, empty set of stores per test).
 */
import { beforeEach, type TestContext } from 'vitest';
import type { AppNotification, HistoryEntry } from '@passerelle/shared';
import type { AccountStores, ActivityStore, BoardDirectory, GuestRecord, InvitationStore, PeopleStore, UserRecord } from '../../server/src/store/account-store.js';
import { storePerTest, type StoreFixture } from '../helpers/store-fixture.js';

export interface AccountStoreFixture extends StoreFixture<AccountStores> {
  /**
   * Opens another store over the same storage, as a second process would (the fixture closes it);
   * absent when the storage cannot be shared.
   */
  openAnother?: () => Promise<AccountStores>;
}

/** Session expiries in the future, so that no store may have let them lapse. */
export const EXPIRES_FEB = '2099-02-01T00:00:00.000Z';
export const EXPIRES_MAR = '2099-03-01T00:00:00.000Z';

export function user(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: 'user-camille',
    email: 'camille@example.org',
    name: 'Camille',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    isAdmin: false,
    managesAgreements: false,
    locale: 'fr',
    departments: ['studies'],
    createdAt: '2026-01-05T09:00:00.000Z',
    deactivatedAt: null,
    ...overrides,
  };
}

export const other = (): UserRecord => user({ id: 'user-other', email: 'other@example.org', name: 'Other', locale: null, departments: [] });

export function board(id: string, updatedAt: string, createdBy = 'user-camille') {
  return { id, title: `Board ${id}`, createdBy, createdAt: '2026-01-01T00:00:00.000Z', updatedAt };
}

export function invitation(id: string, createdAt: string) {
  return {
    id,
    tokenHash: `hash-${id}`,
    email: `${id}@example.org`,
    departments: ['research' as const, 'admissions' as const],
    isAdmin: false,
    createdBy: 'user-camille',
    createdAt,
    expiresAt: '2099-01-12T00:00:00.000Z',
    acceptedAt: null,
    revokedAt: null,
  };
}

export function guestInvite(id: string, boardId: string, createdAt: string) {
  return {
    id,
    boardId,
    tokenHash: `hash-${id}`,
    role: 'commenter' as const,
    label: `Partner ${id}`,
    createdBy: 'user-camille',
    createdAt,
    expiresAt: '2099-01-12T00:00:00.000Z',
    revokedAt: null,
  };
}

export function guest(id: string, inviteId: string, joinedAt: string, overrides: Partial<GuestRecord> = {}): GuestRecord {
  return { id, inviteId, name: `Guest ${id}`, organisation: 'Universidade do Porto', locale: 'en', joinedAt, revokedAt: null, ...overrides };
}

export function notification(id: string, at: string, overrides: Partial<AppNotification> = {}): AppNotification {
  return {
    id,
    kind: 'mention',
    at,
    boardId: 'b1',
    boardTitle: 'Board b1',
    cardId: 'card-1',
    subject: 'Porto agreement',
    actorId: 'user-other',
    actorName: 'Other',
    excerpt: '@Camille can you check?',
    readAt: null,
    ...overrides,
  };
}

export function historyEntry(cardId: string | null, subject: string, at = '2026-02-01T10:00:00.000Z'): Omit<HistoryEntry, 'id'> {
  return { at, actorId: 'user-camille', actorName: 'Camille', cardId, subjectKind: cardId ? 'card' : 'column', subject, action: 'updated', fields: ['title', 'stage'], coActors: [{ id: 'user-noor', name: 'Noor' }] };
}
/** Runs `attempt` `count` times at once, alternating between two stores; returns the settled results. */
export async function race<T>(stores: [AccountStores, AccountStores], count: number, attempt: (store: AccountStores, index: number) => Promise<T>) {
  return Promise.allSettled(Array.from({ length: count }, (_, index) => attempt(stores[index % 2], index)));
}

/**
 * Opens a fresh set of stores before each test of the calling suite and cleans up after it. The
 * getters answer for the current test: `accounts` holds the four stores (its `people`, `directory`,
 * `invitations` and `activity` are the stores under test); `reopen` and `twoStores` skip the test
 * for implementations that cannot.
 */
export function useAccountStores(name: string, factory: () => Promise<AccountStoreFixture>) {
  const opened = storePerTest(name, factory);
  return {
    get accounts(): AccountStores {
      return opened.store;
    },
    get people(): PeopleStore {
      return opened.store.people;
    },
    get directory(): BoardDirectory {
      return opened.store.directory;
    },
    get invitations(): InvitationStore {
      return opened.store.invitations;
    },
    get activity(): ActivityStore {
      return opened.store.activity;
    },
    reopen: opened.reopen,
    /** Registers, in the enclosing `describe`, the creation of `people` before each of its tests. */
    withPeople(...people: UserRecord[]): void {
      beforeEach(async () => {
        for (const person of people) await opened.store.people.createUser(person);
      });
    },
    /** The store and a second one over the same storage, or skips the test. */
    async twoStores(context: TestContext): Promise<[AccountStores, AccountStores]> {
      if (!opened.fixture.openAnother) {
        context.skip(`${name} cannot be opened twice`);
        throw new Error('unreachable');
      }
      return [opened.store, await opened.fixture.openAnother()];
    },
  };
}
