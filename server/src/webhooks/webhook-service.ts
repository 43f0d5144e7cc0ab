/**
 * Turns changes into deliveries: hears every change to boards and to the workspace (whoever made it),
 * finds the events in it, and queues one delivery per webhook whose scope and events ask for it, with
 * internal content only for webhooks marked internal. The dispatcher sends what is queued.
 */
import type { Logger } from 'pino';
import { InternalDoc, internalDocName, newId, type WebhookEvent } from '@passerelle/shared';
import type { BoardChange, WorkspaceChange } from '../documents/index.js';
import type { SyncServer } from '../sync/sync-server.js';
import { WebhookDispatcher, type DispatcherOptions } from './dispatcher.js';
import { COALESCED, boardEvents, internalEvents, workspaceEvents, type Occurrence } from './events.js';
import type { WebhookRecord, WebhookStore } from './webhook-store.js';

export interface WebhookServiceOptions {
  store: WebhookStore;
  logger: Logger;
  /** Reads a board's internal document, for webhooks marked internal. */
  sync: Pick<SyncServer, 'readDocument'>;
  allowPrivateAddresses: boolean;
  retryDelaysMs?: readonly number[];
  pollMs?: number;
  /**
   * How long a burst of changes to one subject (typing a card's title) is gathered into one
   * delivery of its last state (default 2 s): a receiver hears of the change, not of each keystroke.
   */
  coalesceMs?: number;
}

/** Who made a change, as a delivery names them. */
type Actor = { id: string; name: string; kind: 'member' | 'guest' };

export class WebhookService {
  readonly store: WebhookStore;
  readonly #options: WebhookServiceOptions;
  readonly #dispatcher: WebhookDispatcher;
  /** Coalesced occurrences waiting for their window to end, by event and subject. */
  readonly #waiting = new Map<string, { occurrence: Occurrence; actor: Actor }>();
  #timer: NodeJS.Timeout | null = null;
  #work: Promise<void> = Promise.resolve();

  constructor(options: WebhookServiceOptions) {
    this.#options = options;
    this.store = options.store;
    const dispatcher: DispatcherOptions = { store: options.store, logger: options.logger, send: { allowPrivate: options.allowPrivateAddresses }, retryDelaysMs: options.retryDelaysMs, pollMs: options.pollMs };
    this.#dispatcher = new WebhookDispatcher(dispatcher);
  }

  /** The sync server's `onBoardChange`: never throws into the sync path. */
  onBoardChange = (change: BoardChange): void => {
    try {
      const occurrences = change.document === 'board' ? boardEvents(change.boardId, change.doc, change.transaction) : internalEvents(change.boardId, change.transaction);
      this.#take(occurrences, change.actor);
    } catch (error) {
      this.#options.logger.error({ err: error }, 'webhook events could not be read from a board change');
    }
  };

  /** The sync server's `onWorkspaceChange`: never throws into the sync path. */
  onWorkspaceChange = (change: WorkspaceChange): void => {
    try {
      // Only the records the change kept: a write the rules put back never happened.
      const kept = new Set(change.writes.map((write) => write.id));
      this.#take(workspaceEvents(change.doc, change.transaction).filter((occurrence) => kept.has(occurrence.subject.slice(occurrence.subject.indexOf(':') + 1))), change.actor);
    } catch (error) {
      this.#options.logger.error({ err: error }, 'webhook events could not be read from a workspace change');
    }
  };

  #take(occurrences: Occurrence[], actor: Actor): void {
    const now: Occurrence[] = [];
    for (const occurrence of occurrences) {
      if (COALESCED.has(occurrence.event)) this.#waiting.set(`${occurrence.event}:${occurrence.subject}`, { occurrence, actor });
      else now.push(occurrence);
    }
    if (now.length > 0) this.#queue(now.map((occurrence) => ({ occurrence, actor })));
    if (this.#waiting.size > 0 && !this.#timer) {
      this.#timer = setTimeout(() => this.#flushWaiting(), this.#options.coalesceMs ?? 2000);
      this.#timer.unref();
    }
  }

  #flushWaiting(): void {
    this.#timer = null;
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    this.#queue(waiting);
  }

  /** Queues the deliveries of some occurrences, in order, after those already being queued. */
  #queue(entries: { occurrence: Occurrence; actor: Actor }[]): void {
    this.#work = this.#work
      .then(async () => {
        const webhooks = (await this.store.listWebhooks()).filter((webhook) => webhook.active);
        if (webhooks.length === 0) return;
        for (const { occurrence, actor } of entries) {
          for (const webhook of webhooks) {
            if (!listensTo(webhook, occurrence)) continue;
            await this.#enqueue(webhook, occurrence.event, await this.#bodyFor(webhook, occurrence, actor));
          }
        }
        this.#dispatcher.wake();
      })
      .catch((error: unknown) => this.#options.logger.error({ err: error }, 'webhook deliveries could not be queued'));
  }

  async #bodyFor(webhook: WebhookRecord, occurrence: Occurrence, actor: Actor): Promise<Record<string, unknown>> {
    const data: Record<string, unknown> = { ...occurrence.data };
    const cardId = occurrence.internalCardId ?? (data.card as { id?: string; kind?: string } | undefined)?.id;
    const isProposal = occurrence.internalCardId !== undefined || (data.card as { kind?: string } | undefined)?.kind === 'proposal';
    // Internal content is read for the webhooks marked internal only, and never written into the shared data.
    if (webhook.internal && occurrence.boardId && cardId && isProposal && occurrence.event !== 'card.deleted') {
      data.internal = await this.#options.sync.readDocument(internalDocName(occurrence.boardId), (doc) => {
        const internal = new InternalDoc(doc);
        return { fields: internal.proposalFields(cardId), notes: internal.proposalNotesText(cardId).toString() };
      });
    }
    return { event: occurrence.event, occurredAt: new Date().toISOString(), boardId: occurrence.boardId, actor: { id: actor.id, name: actor.name, kind: actor.kind }, data };
  }

  async #enqueue(webhook: WebhookRecord, event: WebhookEvent, body: Record<string, unknown>): Promise<string> {
    const id = newId();
    await this.store.enqueue({ id, webhookId: webhook.id, event, body: JSON.stringify({ id, ...body }), createdAt: new Date().toISOString() });
    return id;
  }

  /** Queues the test event for one webhook, whatever its events and even while it is inactive in the log. */
  async sendTest(webhook: WebhookRecord, actor: Actor): Promise<string> {
    const id = await this.#enqueue(webhook, 'ping', { event: 'ping', occurredAt: new Date().toISOString(), boardId: webhook.scope.kind === 'board' ? webhook.scope.boardId : null, actor, data: { webhookId: webhook.id } });
    this.#dispatcher.wake();
    return id;
  }

  /** Forgets the webhooks of a deleted board. */
  async boardDeleted(boardId: string): Promise<void> {
    for (const webhook of await this.store.listWebhooks()) if (webhook.scope.kind === 'board' && webhook.scope.boardId === boardId) await this.store.deleteWebhook(webhook.id);
  }

  /** Queues what is waiting, then stops the dispatcher (what is queued stays for the next start). */
  async close(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#flushWaiting();
    }
    await this.#work;
    await this.#dispatcher.close();
  }
}

/** Whether a webhook asks for an occurrence: its scope, its events, and internal-only events for internal webhooks. */
function listensTo(webhook: WebhookRecord, occurrence: Occurrence): boolean {
  if (!webhook.events.includes(occurrence.event)) return false;
  if (occurrence.internalOnly && !webhook.internal) return false;
  return webhook.scope.kind === 'workspace' || webhook.scope.boardId === occurrence.boardId;
}
