/** The frames one stored batch of updates goes out as. */
import { encodeUpdateMessage, mergeUpdates } from './protocol.js';

/**
 * How many updates a fan-out may merge to spare its senders their own updates (default 256). Each
 * connection that sent part of a batch gets the rest of it, a frame of its own; with `k` senders in
 * a batch of `n` updates that is `k` merges of up to `n` updates, which grows as the square of the
 * load exactly when the server falls behind (200 senders in a batch of 1,500 updates took seconds).
 * Beyond this product the senders get the shared frame: a y-websocket client ignores the part it
 * already has, as it does with every update the reference server echoes.
 */
export const MAX_MERGED_FOR_SENDERS = 256;

export interface BatchFrames<Sender> {
  /** The whole batch (`merged`) as one update message, encoded once for everyone. */
  shared: Uint8Array;
  /** For each sender that gets its own frame, the rest of the batch (null when it sent all of it). */
  rest: Map<Sender, Uint8Array | null>;
}

/**
 * The shared frame of a batch, and the rest of it for each of its `senders` (the updates whose
 * origin is another), unless the batch is too busy for that (`MAX_MERGED_FOR_SENDERS`).
 */
export function batchFrames<Sender>(batch: readonly { update: Uint8Array; origin: unknown }[], merged: Uint8Array, senders: ReadonlySet<Sender>): BatchFrames<Sender> {
  const rest = new Map<Sender, Uint8Array | null>();
  if (senders.size === 1 || senders.size * batch.length <= MAX_MERGED_FOR_SENDERS) {
    for (const sender of senders) {
      const others = batch.filter((entry) => entry.origin !== sender);
      rest.set(sender, others.length === 0 ? null : encodeUpdateMessage(mergeUpdates(others)));
    }
  }
  return { shared: encodeUpdateMessage(merged), rest };
}
