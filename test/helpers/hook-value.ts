/** A value that a Vitest hook makes for the enclosing `describe`, and how its tests read it. */
import { beforeAll, beforeEach } from 'vitest';

/** Reads the value made for the test that runs, and fails, naming it, where none was made yet. */
export interface MadeValue<T> {
  (): T;
  /** The value, or undefined where none was made (for hooks that undo it). */
  ifMade(): T | undefined;
}

function madeBy<T>(hook: typeof beforeEach, what: string, make: () => Promise<T>): MadeValue<T> {
  let made: { value: T } | undefined;
  hook(async () => {
    made = { value: await make() };
  });
  const read = () => {
    if (!made) throw new Error(`no ${what}: it is made before the tests run`);
    return made.value;
  };
  return Object.assign(read, { ifMade: () => made?.value });
}

/** Registers `make` before each test of the enclosing `describe`; the returned function reads what it made. */
export const madeBeforeEach = <T>(what: string, make: () => Promise<T>): MadeValue<T> => madeBy(beforeEach, what, make);

/** Registers `make` once before the tests of the enclosing `describe`; the returned function reads what it made. */
export const madeBeforeAll = <T>(what: string, make: () => Promise<T>): MadeValue<T> => madeBy(beforeAll, what, make);
