/**
 * The rules of the document's kind as a room applies them: after each transaction a person's
 * change goes through the kind's `afterTransaction` (and is remembered when it redacted content),
 * every change someone made is reported (`onChange`), and `beforeRelay` tells what a reader may
 * receive.
 */
import type { Logger } from 'pino';
import type * as Y from 'yjs';
import { RuledEdit, ServerEdit } from '@passerelle/shared';
import type { ConnectionIdentity, SyncConnection } from './connection.js';
import type { ChangeActor, DocumentHooks } from './hooks.js';

/** What the rules need of their room. */
export interface RulesHost {
  readonly doc: Y.Doc;
  /** The rules of the document's kind (`server/src/documents/`). */
  readonly hooks: DocumentHooks;
  /** The room's logger (with the document's name). */
  readonly logger: Logger;
  /** Whether a transaction origin is a connection of the room. */
  isConnection(origin: unknown): origin is SyncConnection;
}

export class RoomRules {
  readonly #host: RulesHost;
  /** Transactions whose content the kind's rules redacted (see `QueuedUpdate.redacted`). */
  readonly #redacted = new WeakSet<Y.Transaction>();

  constructor(host: RulesHost) {
    this.#host = host;
  }

  /** Whether the kind's rules redacted the content of `transaction`. */
  isRedacted(transaction: Y.Transaction): boolean {
    return this.#redacted.has(transaction);
  }

  /** Whether a reader may receive every update as applied (the kind's `beforeRelay`). */
  seesEverything(reader: ConnectionIdentity): boolean {
    return (this.#host.hooks.beforeRelay?.(reader) ?? 'updates') === 'updates';
  }

  /**
   * After each transaction: a person's change through a connection goes through the kind's rules
   * (`afterTransaction`, whose corrections are transactions of their own), then every change someone
   * made is reported (`onChange`).
   */
  afterTransaction = (transaction: Y.Transaction): void => {
    const { doc, hooks, logger } = this.#host;
    const origin = transaction.origin;
    let actor: ChangeActor | null = null;
    if (origin instanceof RuledEdit) {
      // A change made through the REST API passes the same rules as the person's own change would.
      actor = { kind: 'member', ...origin.actor };
      const identity = {
        userId: actor.id,
        name: actor.name,
        kind: actor.kind,
        departments: origin.identity.departments,
        capabilities: origin.identity.capabilities ?? [],
        readOnly: false,
        role: origin.identity.role,
      };
      const verdict = hooks.afterTransaction?.({ doc, transaction, actor: identity, logger });
      if (verdict?.redacted) {
        this.#redacted.add(transaction);
        origin.redacted = true;
      }
    } else if (origin instanceof ServerEdit) actor = { kind: 'member', ...origin.actor };
    else if (this.#host.isConnection(origin)) {
      actor = { id: origin.actor.userId, name: origin.actor.name, kind: origin.actor.kind };
      const verdict = hooks.afterTransaction?.({ doc, transaction, actor: origin.actor, logger });
      if (verdict?.redacted) this.#redacted.add(transaction);
    }
    if (!actor || !hooks.onChange) return;
    try {
      hooks.onChange(doc, transaction, actor);
    } catch (error) {
      logger.error({ err: error }, 'board change listener failed');
    }
  };
}
