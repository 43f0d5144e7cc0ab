import { nanoid } from 'nanoid';

/** A new random identifier: 21 URL-safe characters (126 bits), safe in URLs and Yjs map keys. */
export function newId(): string {
  return nanoid();
}

/**
 * Names that documents, sync paths and routes use besides board ids: the workspace document
 * (`WORKSPACE_DOC`, synced at `/sync/workspace`) and the suffix of a board's internal document
 * (`<boardId>/internal`). A board id equal to one of them would share a document (or a path) with
 * it, so none is ever an id, whatever its case (stores and file systems may fold case).
 */
export const RESERVED_IDS: ReadonlySet<string> = new Set(['workspace', 'internal']);

/** Whether a string has the shape of an identifier and is not a reserved name (also the `[boardId=id]` route matcher). */
export function isId(value: string): boolean {
  return /^[A-Za-z0-9_-]{8,64}$/.test(value) && !RESERVED_IDS.has(value.toLowerCase());
}
