/**
 * Reading what the stores wrote, the same way in every implementation. A stored role or access
 * setting no current version writes reads as the least it could mean rather than failing the read;
 * a stored record reads through its schema (`storedRecord`, the records in `stored-records.ts`) and
 * one that does not match is refused whole.
 */
import { z } from 'zod';
import { BoardRole, WorkspaceAccess } from '@passerelle/shared';

/** JSON as stored, or undefined when it does not parse. */
function parseJson(json: string | undefined): unknown {
  try {
    return JSON.parse(json ?? 'null');
  } catch {
    return undefined;
  }
}

const JsonObject = z.record(z.string(), z.unknown());

/** A board's workspace access as stored: an unknown one opens nothing. */
export const storedWorkspaceAccess = (value: string | undefined): WorkspaceAccess => WorkspaceAccess.safeParse(value).data ?? 'none';

/** A board role as stored, or null when it is none this version knows (the role is then left out). */
export const storedBoardRole = (value: string | undefined): BoardRole | null => BoardRole.safeParse(value).data ?? null;

// ---- Stored records ---------------------------------------------------------------------------

/** A stored record that does not read as one of its kind: a field is missing or holds what no version writes. */
export class StoredRecordError extends Error {
  override readonly name = 'StoredRecordError';
}

/** How one kind of record is read back, the same whichever store holds it. */
export interface StoredRecord<T> {
  /** A record from its fields as stored under their own names (a Redis hash, a JSON object). */
  fromFields(fields: Readonly<Record<string, unknown>>): T;
  /** A record from a SQLite row, whose columns are the fields' names in snake_case (`created_at`). */
  fromRow(row: unknown): T;
}

/** What a field holds, under its wrappers (nullable, optional, a fallback, a transform), and whether it may be null. */
function innerType(field: z.ZodType): { type: string; nullable: boolean } {
  let type = field as z.core.$ZodType;
  let nullable = false;
  for (;;) {
    const def = type._zod.def as z.core.$ZodTypeDef & { innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    if (def.type === 'nullable') nullable = true;
    const inner = def.type === 'pipe' ? def.in : def.innerType;
    if (!inner) return { type: def.type, nullable };
    type = inner;
  }
}

/**
 * A field as a store keeps it, read as the schema's value: arrays and objects are JSON text,
 * booleans 1 or 0 (SQLite's integers, Redis's '1' and '0'), numbers a Redis hash's text, and an
 * absent field (Redis keeps no nulls) is null where the field may be. Anything else stays as
 * stored, for the schema to refuse.
 */
function decoder({ type, nullable }: { type: string; nullable: boolean }): (value: unknown) => unknown {
  const structured = type === 'array' || type === 'record' || type === 'object';
  return (value) => {
    if (value === undefined || value === null) return nullable ? null : value;
    if (structured && typeof value === 'string') return parseJson(value) ?? value;
    if (type === 'boolean' && (value === 1 || value === '1' || value === 0 || value === '0')) return value === 1 || value === '1';
    if (type === 'number' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    return value;
  };
}

/**
 * The fields of a record a store keeps as one JSON object (a log entry): a `StoredRecordError` when
 * the text is not an object, so that a broken entry is told apart from one missing fields.
 */
export function storedJsonFields(json: string, what: string, id: string | number): Record<string, unknown> {
  const fields = JsonObject.safeParse(parseJson(json));
  if (!fields.success) throw new StoredRecordError(`stored ${what} ${id} is not a JSON object`);
  return fields.data;
}

const camelNames = new Map<string, string>();
/** `created_at` → `createdAt`, remembered: the same few column names come back on every row. */
function camelName(column: string): string {
  let name = camelNames.get(column);
  if (name === undefined) {
    name = column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    camelNames.set(column, name);
  }
  return name;
}

/**
 * The reader of one kind of record: `schema` is its shape (the shared one the API returns), `what`
 * names it in errors. Every store reads it through here, so a record reads alike from SQLite and
 * Redis, and one that does not match throws a `StoredRecordError` naming the record and its wrong
 * fields rather than returning part of a record. Fields the schema does not name (a board's
 * access, a row's owner) are left out; `finish` turns the fields read into the record, when a
 * store keeps it in other fields than the record has.
 */
export function storedRecord<Shape extends z.ZodRawShape, T = z.infer<z.ZodObject<Shape>>>(
  what: string,
  schema: z.ZodObject<Shape>,
  finish: (stored: z.infer<z.ZodObject<Shape>>) => T = (stored) => stored as T,
): StoredRecord<T> {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([name, field]) => [name, z.preprocess(decoder(innerType(field as z.ZodType)), field as z.ZodType)]),
  );
  const stored = z.object(shape);
  const read = (record: Readonly<Record<string, unknown>>) => {
    const result = stored.safeParse(record);
    if (result.success) return finish(result.data as z.infer<z.ZodObject<Shape>>);
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`).join('; ');
    throw new StoredRecordError(`stored ${what} ${String(record.id ?? '?')} is malformed: ${problems}`);
  };
  return {
    fromFields: read,
    fromRow(row) {
      if (typeof row !== 'object' || row === null) throw new StoredRecordError(`stored ${what} is not a row`);
      return read(Object.fromEntries(Object.entries(row).map(([column, value]) => [camelName(column), value])));
    },
  };
}
