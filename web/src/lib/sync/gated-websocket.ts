/**
 * A WebSocket, for the y-websocket provider, that connects at once but tells the provider it is
 * open, and hands it what the server sent, only once `gate` has settled.
 *
 * A document with a local copy must announce what the copy holds in its first message: announced
 * before the copy is read, the document is empty, the server sends the whole document and the copy
 * goes back to it as one large change. Waiting for the copy before connecting costs the handshake
 * on top of the read; with this socket the two overlap, and the provider still speaks first with
 * the copy in the document. Once the gate has settled the socket behaves as a plain one (a
 * reconnection is not held back). Its `readyState` is the socket's own: the provider sends nothing
 * before it has been told the socket is open.
 */
export function gatedWebSocket(gate: Promise<unknown>): typeof WebSocket {
  let gateOpen = false;
  void gate.then(
    () => (gateOpen = true),
    () => (gateOpen = true),
  );
  class GatedWebSocket extends WebSocket {
    #held = !gateOpen;
    #onopen: ((this: WebSocket, event: Event) => unknown) | null = null;
    #onmessage: ((this: WebSocket, event: MessageEvent) => unknown) | null = null;
    /** What arrived while held, handed over in order after the open. */
    #arrived: MessageEvent[] = [];
    #opened: Event | null = null;

    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      super.onopen = (event) => {
        if (this.#held) this.#opened = event;
        else this.#onopen?.call(this, event);
      };
      super.onmessage = (event) => {
        if (this.#held) this.#arrived.push(event);
        else this.#onmessage?.call(this, event);
      };
      if (this.#held) {
        const release = () => {
          this.#held = false;
          // Closed meanwhile: the close was reported as it came, nothing else is.
          if (super.readyState !== WebSocket.OPEN || !this.#opened) return;
          this.#onopen?.call(this, this.#opened);
          for (const event of this.#arrived.splice(0)) {
            if (super.readyState !== WebSocket.OPEN) break;
            this.#onmessage?.call(this, event);
          }
        };
        void gate.then(release, release);
      }
    }

    override get onopen(): ((this: WebSocket, event: Event) => unknown) | null {
      return this.#onopen;
    }
    override set onopen(handler: ((this: WebSocket, event: Event) => unknown) | null) {
      this.#onopen = handler;
    }
    override get onmessage(): ((this: WebSocket, event: MessageEvent) => unknown) | null {
      return this.#onmessage;
    }
    override set onmessage(handler: ((this: WebSocket, event: MessageEvent) => unknown) | null) {
      this.#onmessage = handler;
    }
  }
  return GatedWebSocket;
}
