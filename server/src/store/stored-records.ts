/**
 * The records the stores return, each read through one schema (`storedRecord`): one definition per
 * record for the SQLite and Redis stores alike. Records the API returns as they are stored use the
 * shared schema of their shape; the account records only the server sees (a password hash, a token
 * hash) have theirs here, checked against their interfaces.
 */
import { z } from 'zod';
import { ApiTokenSummary, AppNotification, AuditEvent, BoardSummary, Department, GuestRole, HistoryEntry, Locale } from '@passerelle/shared';
import type { GuestInviteRecord, GuestRecord, InvitationRecord, UserRecord } from './account-store.js';
import { storedRecord } from './stored-values.js';

/** A board as the directory lists it (the caller's role is never stored: the API adds it). */
export const storedBoard = storedRecord('board', BoardSummary.omit({ role: true }));

export const storedAuditEvent = storedRecord('audit event', AuditEvent);

export const storedNotification = storedRecord('notification', AppNotification);

export const storedHistoryEntry = storedRecord('history entry', HistoryEntry);

export const storedApiToken = storedRecord('API token', ApiTokenSummary);

/** A calendar feed (its secret's hash is never read back). */
export const storedCalendarFeed = storedRecord('calendar feed', z.object({ id: z.string(), userId: z.string(), boardId: z.string().nullable(), createdAt: z.string() }));

/** The stamp of an event served in calendar feeds. */
export const storedCalendarEventStamp = storedRecord('calendar event', z.object({ fingerprint: z.string(), sequence: z.number().int().min(0), modifiedAt: z.string() }));

/** A person's session, as found by its token's hash. */
export const storedSession = storedRecord('session', z.object({ userId: z.string(), expiresAt: z.string() }));

/** A guest's session, as found by its token's hash. */
export const storedGuestSession = storedRecord('guest session', z.object({ guestId: z.string() }));

// ---- Account records ----------------------------------------------------------------------------

/** Departments as stored (a JSON array): values this version does not know are dropped rather than trusted. */
const departments = z
  .array(z.unknown())
  .catch([])
  .transform((values) => values.filter((value): value is Department => Department.safeParse(value).success));
/** A locale as stored; anything else reads as none. */
const locale = Locale.nullable().catch(null);
/** The name of who created a record, as a join on people gives it: '' when they are unknown. */
const creatorName = z
  .string()
  .nullish()
  .transform((name) => name ?? '');

/** True when `Schema` reads exactly as `Record` (a field added to one and not the other does not compile). */
type Reads<Schema extends z.ZodType, Record> = [z.output<Schema>] extends [Record] ? ([Record] extends [z.output<Schema>] ? Schema : never) : never;
const reads = <Record>() => <Schema extends z.ZodType>(schema: Schema & Reads<Schema, Record>): Schema => schema;

export const storedUser = storedRecord(
  'user',
  reads<UserRecord>()(
    z.object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      passwordHash: z.string(),
      isAdmin: z.boolean(),
      /** Accounts stored before the capability existed (no such Redis field) manage nothing. */
      managesAgreements: z.boolean().optional().transform((value) => value ?? false),
      locale,
      departments,
      createdAt: z.string(),
      deactivatedAt: z.string().nullable(),
    }),
  ),
);

/** What a member invitation and a guest invite link both are: a secret (as its hash) someone made, for a time, revocable. */
const inviteLink = z.object({
  id: z.string(),
  tokenHash: z.string(),
  createdBy: z.string(),
  createdByName: creatorName,
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
});

export const storedInvitation = storedRecord(
  'invitation',
  reads<InvitationRecord>()(
    inviteLink.extend({
      email: z.string(),
      departments,
      isAdmin: z.boolean(),
      acceptedAt: z.string().nullable(),
    }),
  ),
);

export const storedGuestInvite = storedRecord(
  'guest invite',
  reads<GuestInviteRecord>()(
    inviteLink.extend({
      boardId: z.string(),
      /** An unknown stored role grants the least. */
      role: GuestRole.catch('viewer'),
      label: z.string(),
      guestCount: z.number().int(),
    }),
  ),
);

export const storedGuest = storedRecord(
  'guest',
  reads<GuestRecord>()(
    z.object({
      id: z.string(),
      inviteId: z.string(),
      name: z.string(),
      organisation: z.string().nullable(),
      locale,
      joinedAt: z.string(),
      revokedAt: z.string().nullable(),
    }),
  ),
);
