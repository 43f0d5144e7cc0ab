import { nanoid } from 'nanoid';

/** A new random identifier: 21 URL-safe characters (126 bits), safe in URLs and Yjs map keys. */
export function newId(): string {
  return nanoid();
}

/** Whether a string has the shape of an identifier (also the `[boardId=id]` route matcher). */
export function isId(value: string): boolean {
  return /^[A-Za-z0-9_-]{8,64}$/.test(value);
}
