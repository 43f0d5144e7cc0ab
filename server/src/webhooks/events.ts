/**
 * What happened in one transaction, as webhook events: read from the transaction's changed types,
 * whoever made it (a browser, the REST API, a meeting, a restore). The card is read as it stands
 * right after the change, from the shareable board only: internal content is added later, and only
 * for webhooks marked internal.
 */
import * as Y from 'yjs';
import { BoardDoc, WorkspaceDoc, type RestCard, type WebhookEvent } from '@passerelle/shared';
import { restCardOf } from '../rest/card-view.js';

// Yjs types are read here whatever their event type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyType = Y.AbstractType<any>;

/** One event, before it is addressed to webhooks. */
export interface Occurrence {
  event: WebhookEvent;
  /** The board it happened on; null for the workspace's records. */
  boardId: string | null;
  /** What identifies its subject, so that a burst of changes to one subject makes one delivery (see `COALESCED`). */
  subject: string;
  /** The event's data, shareable with every webhook of its scope. */
  data: Record<string, unknown>;
  /** A card whose internal content the delivery carries, for webhooks marked internal. */
  internalCardId?: string;
  /** Only for webhooks marked internal (the event is about internal content). */
  internalOnly?: boolean;
}

/** Events that a burst of typing repeats: one delivery per subject and window, with the last state. */
export const COALESCED: ReadonlySet<WebhookEvent> = new Set(['card.updated', 'card.internal_changed', 'partner.changed', 'agreement.changed', 'mobility.changed']);

/** Whether `type` was created in `transaction` (it did not exist before it). */
function createdIn(type: AnyType, transaction: Y.Transaction): boolean {
  const item = type._item;
  return item !== null && item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0);
}

/** The card (its id and map) a changed type belongs to, and the key of the card it hangs under. */
function cardOf(type: AnyType, cards: AnyType): { cardId: string; card: Y.Map<unknown>; via: string | null } | null {
  let current: AnyType | null = type;
  let via: string | null = null;
  while (current?._item) {
    const parent = current._item.parent as AnyType;
    if (parent === cards) return { cardId: current._item.parentSub!, card: current as Y.Map<unknown>, via };
    via = current._item.parentSub;
    current = parent;
  }
  return null;
}

/** The events of a transaction on a board's shareable document. */
export function boardEvents(boardId: string, doc: Y.Doc, transaction: Y.Transaction): Occurrence[] {
  const board = new BoardDoc(doc);
  const cards = board.cards as unknown as AnyType;
  const found = new Map<string, Occurrence>();
  const snapshot = (cardId: string): RestCard | { id: string } => restCardOf(board, cardId, null) ?? { id: cardId };
  const add = (event: WebhookEvent, cardId: string, extra: Record<string, unknown> = {}) => {
    const key = `${event}:${cardId}:${JSON.stringify(extra)}`;
    if (!found.has(key)) found.set(key, { event, boardId, subject: `${boardId}:${cardId}`, data: { card: snapshot(cardId), ...extra } });
  };
  const created = new Set<string>();

  transaction.changed.forEach((keys, type) => {
    if (type === cards) {
      for (const cardId of keys) {
        if (cardId === null) continue;
        const card = board.cards.get(cardId);
        if (card instanceof Y.Map && createdIn(card, transaction)) {
          created.add(cardId);
          add('card.created', cardId);
        } else if (!(card instanceof Y.Map)) {
          found.set(`deleted:${cardId}`, { event: 'card.deleted', boardId, subject: `${boardId}:${cardId}`, data: { card: { id: cardId } } });
        }
      }
      return;
    }
    const owner = cardOf(type, cards);
    if (!owner || created.has(owner.cardId) || createdIn(owner.card, transaction)) return;
    if (type === (owner.card as unknown as AnyType)) {
      for (const key of keys) {
        if (key === 'columnId' || key === 'position') add('card.moved', owner.cardId);
        else if (key === 'stage') add('card.stage_changed', owner.cardId);
        else if (key !== 'signOffs' && key !== 'comments' && key !== 'checklist') add('card.updated', owner.cardId);
      }
      return;
    }
    const nested = owner.via ?? '';
    if ((nested === 'signOffs' || nested === 'comments') && type instanceof Y.Map && type.parent === owner.card) {
      for (const key of keys) {
        const value = key === null ? undefined : type.get(key);
        if (value === undefined) continue;
        if (nested === 'signOffs') add('card.sign_off_given', owner.cardId, { signOff: value });
        else if (value instanceof Y.Map && createdIn(value, transaction)) {
          const comment = value.toJSON() as Record<string, unknown>;
          add('card.comment_added', owner.cardId, { comment: { id: key, authorId: comment.authorId, authorName: comment.authorName, text: comment.text, at: comment.at } });
        }
      }
      return;
    }
    // A title, a description or a section's text, the checklist: the card changed.
    if (nested !== 'comments' && nested !== 'signOffs') add('card.updated', owner.cardId);
  });
  return [...found.values()];
}

/** The events of a transaction on a board's internal document: which proposals' internal content changed. */
export function internalEvents(boardId: string, transaction: Y.Transaction): Occurrence[] {
  const cardIds = new Set<string>();
  transaction.changedParentTypes.forEach((_events, type) => {
    let root: AnyType = type;
    while (root._item) root = root._item.parent as AnyType;
    const name = root.doc ? [...root.doc.share].find(([, shared]) => shared === root)?.[0] : undefined;
    const match = name ? /^proposal\/([^/]+)/.exec(name) : null;
    if (match) cardIds.add(match[1]);
  });
  return [...cardIds].map((cardId) => ({ event: 'card.internal_changed', boardId, subject: `${boardId}:${cardId}`, data: { card: { id: cardId } }, internalCardId: cardId, internalOnly: true }));
}

const RECORD_EVENTS = { partners: 'partner.changed', agreements: 'agreement.changed', mobilities: 'mobility.changed', targets: 'mobility.changed' } as const;

/** The events of a transaction on the workspace document: records created, changed or deleted. */
export function workspaceEvents(doc: Y.Doc, transaction: Y.Transaction): Occurrence[] {
  const workspace = new WorkspaceDoc(doc);
  const collections = { partners: workspace.partners, agreements: workspace.agreements, mobilities: workspace.mobilities, targets: workspace.targets };
  const found = new Map<string, Occurrence>();
  for (const [name, collection] of Object.entries(collections) as [keyof typeof RECORD_EVENTS, (typeof collections)[keyof typeof collections]][]) {
    const touched = new Set<string>();
    transaction.changed.forEach((keys, type) => {
      if (type === (collection.map as unknown as AnyType)) for (const key of keys) if (key !== null) touched.add(key);
      if (type instanceof Y.Map && type.parent === (collection.map as unknown as AnyType) && type._item?.parentSub) touched.add(type._item.parentSub);
    });
    for (const id of touched) {
      const record = collection.get(id);
      const stored = collection.map.get(id);
      const action = !(stored instanceof Y.Map) ? 'deleted' : createdIn(stored, transaction) ? 'created' : 'updated';
      found.set(`${name}:${id}`, { event: RECORD_EVENTS[name], boardId: null, subject: `${name}:${id}`, data: { collection: name === 'mobilities' ? 'mobility-flows' : name === 'targets' ? 'mobility-targets' : name, action, record: record ?? { id } } });
    }
  }
  return [...found.values()];
}
