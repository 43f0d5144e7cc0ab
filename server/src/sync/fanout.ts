/**
 * Fan-out of document updates and presence between server processes serving the same documents.
 * The sync core only knows this interface; `RedisFanout` implements it over Redis pub/sub. With one
 * process there is no fan-out at all.
 *
 * Rules the rooms follow:
 * - an update is published only after it is stored, with its sequence number, so a process that
 *   receives it never relays something a crash could lose;
 * - a received update is applied and relayed to local clients, never stored or published again;
 * - a room subscribes before it loads the store, so no update falls between the two.
 */
import { createClient } from 'redis';
import { pingRedis } from '../store/redis-connection.js';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** What a room hears from the other processes about its document. */
export interface FanoutHandlers {
  /** An update another process stored with sequence number `seq`. */
  update(seq: number, update: Uint8Array): void;
  /** An awareness update from another process's clients (already stamped with their identity). */
  awareness(update: Uint8Array): void;
  /** The connection to the other processes was lost and is back: messages may have been missed. */
  resync(): void;
}

export interface DocumentFanout {
  /** Starts listening for a document; resolves once subscribed. Returns the way to stop. */
  subscribe(docName: string, handlers: FanoutHandlers): Promise<() => Promise<void>>;
  /** Tells the other processes about an update stored with sequence number `seq`. */
  publishUpdate(docName: string, seq: number, update: Uint8Array): void;
  /** Tells the other processes about an awareness change of this process's clients. */
  publishAwareness(docName: string, update: Uint8Array): void;
  /** Resolves when the other processes can be reached now, rejects otherwise (readiness). */
  ping?(): Promise<void>;
  close(): Promise<void>;
}

const Kind = { Update: 0, Awareness: 1 } as const;

/** Redis pub/sub fan-out: one channel per document, one subscriber connection per process. */
export class RedisFanout implements DocumentFanout {
  readonly #publisher: ReturnType<typeof createClient>;
  readonly #subscriber: ReturnType<typeof createClient>;
  readonly #prefix: string;
  /** This process's id, so that it ignores its own messages. */
  readonly #origin = Math.floor(Math.random() * 2 ** 32);
  readonly #handlers = new Map<string, FanoutHandlers>();
  #ready: Promise<void>;
  #wasReady = false;

  constructor(options: { url: string; keyPrefix?: string; onError?: (error: Error) => void }) {
    this.#prefix = `${options.keyPrefix ?? 'passerelle:'}fanout:`;
    this.#publisher = createClient({ url: options.url });
    this.#subscriber = this.#publisher.duplicate();
    for (const client of [this.#publisher, this.#subscriber]) client.on('error', (error: Error) => options.onError?.(error));
    // After a reconnection the subscriber may have missed messages: every room catches up from the store.
    this.#subscriber.on('ready', () => {
      if (this.#wasReady) for (const handlers of this.#handlers.values()) handlers.resync();
      this.#wasReady = true;
    });
    this.#ready = Promise.all([this.#publisher.connect(), this.#subscriber.connect()]).then(() => undefined);
  }

  /** Resolves once both connections are up (rejects when Redis cannot be reached). */
  get ready(): Promise<void> {
    return this.#ready;
  }

  async subscribe(docName: string, handlers: FanoutHandlers): Promise<() => Promise<void>> {
    await this.#ready;
    const channel = this.#prefix + docName;
    this.#handlers.set(channel, handlers);
    const listener = (message: Buffer) => this.#receive(handlers, message);
    await this.#subscriber.subscribe(channel, listener, true);
    return async () => {
      if (this.#handlers.get(channel) === handlers) this.#handlers.delete(channel);
      await this.#subscriber.unsubscribe(channel, listener, true).catch(() => {});
    };
  }

  publishUpdate(docName: string, seq: number, update: Uint8Array): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, this.#origin);
    encoding.writeVarUint(encoder, Kind.Update);
    encoding.writeVarUint(encoder, seq);
    encoding.writeVarUint8Array(encoder, update);
    this.#publish(docName, encoding.toUint8Array(encoder));
  }

  publishAwareness(docName: string, update: Uint8Array): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, this.#origin);
    encoding.writeVarUint(encoder, Kind.Awareness);
    encoding.writeVarUint8Array(encoder, update);
    this.#publish(docName, encoding.toUint8Array(encoder));
  }

  #publish(docName: string, message: Uint8Array): void {
    // A failed publish is repaired by the other processes' catch-up from the store after they
    // notice the disconnection; the update itself is already stored.
    void this.#publisher.publish(this.#prefix + docName, Buffer.from(message.buffer, message.byteOffset, message.byteLength)).catch(() => {});
  }

  #receive(handlers: FanoutHandlers, message: Buffer): void {
    const decoder = decoding.createDecoder(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
    if (decoding.readVarUint(decoder) === this.#origin) return;
    const kind = decoding.readVarUint(decoder);
    if (kind === Kind.Update) {
      const seq = decoding.readVarUint(decoder);
      handlers.update(seq, decoding.readVarUint8Array(decoder));
    } else if (kind === Kind.Awareness) {
      handlers.awareness(decoding.readVarUint8Array(decoder));
    }
  }

  async ping(): Promise<void> {
    // A subscribed connection takes no PING in RESP2: its state tells whether it is up, the
    // publisher's PING whether Redis answers.
    if (!this.#subscriber.isReady) throw new Error('fan-out subscriber not connected to Redis');
    await pingRedis(this.#publisher);
  }

  async close(): Promise<void> {
    this.#handlers.clear();
    await Promise.allSettled([this.#subscriber.quit(), this.#publisher.quit()]);
  }
}
