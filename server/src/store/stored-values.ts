/**
 * Reading values the account stores wrote, the same way in every implementation: enumerations
 * through the shared zod schemas, JSON through one lenient parser. A value no current version
 * writes reads as the least it could mean (no locale, no department, no detail) rather than
 * failing the whole read.
 */
import { z } from 'zod';
import { BoardRole, Department, GuestRole, Locale, WorkspaceAccess, type AuditEvent } from '@passerelle/shared';

/** JSON as stored, or undefined when it does not parse. */
function parseJson(json: string | undefined): unknown {
  try {
    return JSON.parse(json ?? 'null');
  } catch {
    return undefined;
  }
}

const Strings = z.array(z.unknown()).transform((values) => values.filter((value): value is string => typeof value === 'string'));
const JsonObject = z.record(z.string(), z.unknown());

/** The strings of an array; anything else reads as empty. */
export const stringsOf = (value: unknown): string[] => Strings.safeParse(value).data ?? [];

/** An object (not an array); anything else reads as empty. */
export const objectOf = (value: unknown): Record<string, unknown> => JsonObject.safeParse(value).data ?? {};

/** A string, or null for anything else. */
export const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A JSON array of strings as stored; anything else reads as empty. */
export const storedStrings = (json: string | undefined): string[] => stringsOf(parseJson(json));

/** A JSON object as stored; anything else (an array, a scalar, broken JSON) reads as empty. */
export const storedObject = (json: string | undefined): Record<string, unknown> => objectOf(parseJson(json));

/** Departments as stored (a JSON array); unknown values are dropped rather than trusted. */
export const storedDepartments = (json: string | undefined): Department[] => storedStrings(json).filter((d): d is Department => Department.safeParse(d).success);

/** A locale as stored; anything else reads as none. */
export const storedLocale = (value: string | null | undefined): Locale | null => Locale.safeParse(value).data ?? null;

/** A guest invite's role as stored: an unknown one grants the least. */
export const storedGuestRole = (value: string | undefined): GuestRole => GuestRole.safeParse(value).data ?? 'viewer';

/** A board's workspace access as stored: an unknown one opens nothing. */
export const storedWorkspaceAccess = (value: string | undefined): WorkspaceAccess => WorkspaceAccess.safeParse(value).data ?? 'none';

/** A board role as stored, or null when it is none this version knows (the role is then left out). */
export const storedBoardRole = (value: string | undefined): BoardRole | null => BoardRole.safeParse(value).data ?? null;

/** An audit event's details as stored (a JSON object of scalars). */
export const storedDetails = (json: string | undefined): AuditEvent['details'] => storedObject(json) as AuditEvent['details'];
