/**
 * Who is on the board, from the board connection's awareness: the people here (once each, however
 * many tabs), which card each has open, and their pointers. This person announces their own name,
 * open card and pointer the same way.
 */
import { colorForUser, parsePresence, type BoardCursor, type Me, type PresenceState } from '@passerelle/shared';
import type { SyncedDoc } from '#lib/sync/synced-doc.svelte.js';

type PresenceUser = PresenceState['user'];

/** A person on the board, once even if they have it open in several tabs. */
export interface Participant {
  user: PresenceUser;
  isMe: boolean;
}

/** Another person's pointer on the board (one per tab), in board-content pixels. */
export interface RemoteCursor {
  clientId: number;
  user: PresenceUser;
  cursor: BoardCursor;
}

export class BoardPresence {
  participants = $state.raw<Participant[]>([]);
  /** Other people who have each card open, by card id. */
  viewersByCard = $state.raw<Map<string, PresenceUser[]>>(new Map());
  /** Other people's pointers on the board. */
  cursors = $state.raw<RemoteCursor[]>([]);
  /** The card whose detail this person has open. */
  openCardId = $state<string | null>(null);

  readonly #awareness: SyncedDoc['awareness'];
  readonly #me: Me;
  #cursor: BoardCursor | null = null;
  readonly #onChange = () => this.#read();

  constructor(awareness: SyncedDoc['awareness'], me: Me) {
    this.#awareness = awareness;
    this.#me = me;
    awareness.setLocalState(this.#presence());
    awareness.on('change', this.#onChange);
    this.#read();
  }

  /** Opens (or closes, with null) a card's detail, and tells the others which card it is. */
  openCard = (cardId: string | null): void => {
    this.openCardId = cardId;
    this.#awareness.setLocalState(this.#presence());
  };

  /** Publishes where this person's pointer is on the board (null: off the board); callers throttle. */
  setCursor = (cursor: BoardCursor | null): void => {
    this.#cursor = cursor;
    this.#awareness.setLocalState(this.#presence());
  };

  destroy(): void {
    this.#awareness.off('change', this.#onChange);
  }

  #presence(): PresenceState {
    return {
      user: { id: this.#me.id, name: this.#me.name, color: colorForUser(this.#me.id) },
      openCardId: this.openCardId,
      ...(this.#cursor ? { cursor: this.#cursor } : {}),
    };
  }

  #read(): void {
    const awareness = this.#awareness;
    const people = new Map<string, Participant>();
    const viewers = new Map<string, PresenceUser[]>();
    const cursors: RemoteCursor[] = [];
    people.set(this.#me.id, { user: this.#presence().user, isMe: true });
    awareness.getStates().forEach((state, clientId) => {
      if (clientId === awareness.clientID) return;
      const presence = parsePresence(state);
      if (!presence) return; // another client's state is untrusted: ignore what does not parse
      const isMe = presence.user.id === this.#me.id;
      if (!people.has(presence.user.id)) people.set(presence.user.id, { user: presence.user, isMe });
      // Our own other tabs are not "someone else has this card open".
      if (presence.cursor && !isMe) cursors.push({ clientId, user: presence.user, cursor: presence.cursor });
      if (presence.openCardId && !isMe) {
        const list = viewers.get(presence.openCardId) ?? [];
        if (!list.some((user) => user.id === presence.user.id)) list.push(presence.user);
        viewers.set(presence.openCardId, list);
      }
    });
    this.participants = [...people.values()];
    this.viewersByCard = viewers;
    this.cursors = cursors;
  }
}
