/**
 * Every transaction origin Passerelle tags its Yjs transactions with, in one place. An observer
 * (the sync room, the guards, history, the web app's undo) tells who made a change by its origin
 * alone, never by a flag set around it: the origin travels with the transaction.
 */

/** Schema migrations run on load, so observers can tell them from people's edits. */
export const MIGRATION_ORIGIN = Symbol('migration');

/** Updates read back from storage when a document loads: they are never written again. */
export const STORAGE_ORIGIN = Symbol('storage');

/** Updates another server process stored and published: relayed here, never stored or published again. */
export const REMOTE_ORIGIN = Symbol('remote');

/** The server's corrections of a change that broke a rule of its document kind (workflow, shape, shareable fields). */
export const GUARD_ORIGIN = Symbol('workflow-guard');

/** Changes the server makes on someone's behalf (comments posted through the API, meeting decisions, restores). */
export class ServerEdit {
  constructor(readonly actor: { id: string; name: string; kind?: 'member' | 'guest' }) {}
}

/**
 * A change made through the REST API on someone's behalf: unlike a plain `ServerEdit`, it goes
 * through the document kind's rules exactly as the same person's change through a connection would
 * (shape, shareable fields, workflow gates, the workspace's own rules), with their departments and
 * role. What the rules undid is left in `refusals`, so that the API can answer with it.
 */
export class RuledEdit extends ServerEdit {
  /** The workflow refusals the kind's rules reported for this change. */
  readonly refusals: unknown[] = [];
  /** Whether the rules removed content from the change (internal fields written to a shareable document). */
  redacted = false;

  constructor(
    actor: { id: string; name: string; kind: 'member' | 'guest' },
    /**
     * Departments the person signs off for, their role on the document and their workspace
     * capabilities (administrator, agreements manager), as a connection carries them.
     */
    readonly identity: { departments: readonly string[]; role: string; capabilities?: readonly string[] },
  ) {
    super(actor);
  }
}
