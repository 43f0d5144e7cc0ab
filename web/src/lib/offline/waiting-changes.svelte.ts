/**
 * This person's changes that the server has not received yet, over every document this tab holds:
 * what the app's header shows on every page, so that someone who edited a board offline and went on
 * to another page still sees that their work is waiting to be sent. Each document reports its own
 * count (see `PendingChanges`); a document closed with changes still waiting keeps its connection
 * until they are sent (see `SyncedDoc.destroy`), and goes on reporting until then.
 */
class WaitingChanges {
  /** The count of each document, by the key it reports under. */
  #byDocument = $state<Record<string, number>>({});

  /** Every waiting change of this tab's documents together. */
  get total(): number {
    let sum = 0;
    for (const count of Object.values(this.#byDocument)) sum += count;
    return sum;
  }

  /** Sets the count of the document reporting under `key` (0 forgets it). */
  report(key: string, count: number): void {
    if (count > 0) this.#byDocument[key] = count;
    else if (key in this.#byDocument) delete this.#byDocument[key];
  }
}

/** The waiting changes of this tab, for the app's header. */
export const waitingChanges = new WaitingChanges();
