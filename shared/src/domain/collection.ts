import * as Y from 'yjs';
import type { z } from 'zod';
import { newId } from '../ids.js';

/** A record failed validation; `issues` name each faulty field with a catalog key as message. */
export class ValidationError extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(issues.map((issue) => `${issue.path || 'record'}: ${issue.message}`).join('; '));
    this.name = 'ValidationError';
  }
}

/** Parses with a zod schema, throwing `ValidationError` (whose messages are catalog keys). */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
  }
  return parsed.data;
}

/** A record as read: its fields and its id. */
export type Stored<T> = T & { id: string };

/**
 * Records of one type in a Yjs map: id → Y.Map of fields. Writes are validated with the record's
 * schema and store only the fields that changed, so concurrent edits of different fields merge.
 * Reads validate too: a record that does not parse (a newer client's, or damaged) is left out of
 * `list` rather than breaking the view.
 */
export class RecordCollection<S extends z.ZodType<object>> {
  constructor(
    readonly map: Y.Map<Y.Map<unknown>>,
    readonly schema: S,
  ) {}

  /** Every valid record, in no particular order. */
  list(): Stored<z.infer<S>>[] {
    const result: Stored<z.infer<S>>[] = [];
    this.map.forEach((fields, id) => {
      const parsed = this.schema.safeParse(fields instanceof Y.Map ? fields.toJSON() : undefined);
      if (parsed.success) result.push({ ...(parsed.data as object), id } as Stored<z.infer<S>>);
    });
    return result;
  }

  get(id: string): Stored<z.infer<S>> | undefined {
    const fields = this.map.get(id);
    if (!(fields instanceof Y.Map)) return undefined;
    const parsed = this.schema.safeParse(fields.toJSON());
    return parsed.success ? ({ ...(parsed.data as object), id } as Stored<z.infer<S>>) : undefined;
  }

  has(id: string): boolean {
    return this.map.has(id);
  }

  /** Validates and adds a record; returns its id. Throws `ValidationError`. */
  create(input: z.input<S>, id: string = newId()): string {
    const record = validate(this.schema, input) as Record<string, unknown>;
    const doc = this.map.doc;
    const write = () => {
      const fields = new Y.Map<unknown>();
      for (const [key, value] of Object.entries(record)) fields.set(key, value);
      this.map.set(id, fields);
    };
    if (doc) doc.transact(write);
    else write();
    return id;
  }

  /** Validates the record with `patch` applied and writes only the fields that changed. Throws `ValidationError`. */
  update(id: string, patch: Partial<z.input<S>>): void {
    const fields = this.map.get(id);
    if (!(fields instanceof Y.Map)) throw new ValidationError([{ path: '', message: 'validation.notFound' }]);
    const next = validate(this.schema, { ...fields.toJSON(), ...patch }) as Record<string, unknown>;
    const apply = () => {
      for (const key of Object.keys(patch)) {
        const value = next[key];
        if (JSON.stringify(fields.get(key)) !== JSON.stringify(value)) fields.set(key, value === undefined ? null : value);
      }
    };
    if (this.map.doc) this.map.doc.transact(apply);
    else apply();
  }

  delete(id: string): void {
    this.map.delete(id);
  }
}
