import type { Request } from 'express';
import type { Logger } from 'pino';
import type { AuditEvent, AuditEventType } from '@passerelle/shared';
import type { ActivityStore } from '../store/account-store.js';

/** Records security events (sign-ins, invitations, role changes, revocations, exports) in the audit log. */
export class Audit {
  readonly #activity: ActivityStore;
  readonly #logger: Logger;

  constructor(activity: ActivityStore, logger: Logger) {
    this.#activity = activity;
    this.#logger = logger.child({ audit: true });
  }

  /**
   * Records an event for a request. The actor is the signed-in principal unless given (a login
   * names the account it opened; a failed login has none). A failure to record is logged, never
   * turned into a failure of the action itself.
   */
  async record(
    request: Request,
    type: AuditEventType,
    event: { actor?: { id: string; name: string } | null; target?: string | null; details?: AuditEvent['details'] } = {},
  ): Promise<void> {
    const actor = event.actor === undefined ? (request.principal ?? null) : event.actor;
    const entry = {
      type,
      actorId: actor?.id ?? null,
      actorName: actor?.name ?? null,
      target: event.target ?? null,
      details: event.details ?? {},
      ip: request.ip ?? null,
    };
    this.#logger.info(entry, `audit: ${type}`);
    try {
      await this.#activity.recordAudit(entry);
    } catch (error) {
      this.#logger.error({ err: error, type }, 'audit event could not be stored');
    }
  }
}
