/**
 * A link to one record of a page (`/partners?partner=…`, `/partners#agreement-…`, `/mobility#flow-…`,
 * from an e-mail or the search page): once the page shows its records, the record whose element has
 * the link's id is highlighted and scrolled to the middle of the screen, once for each link followed;
 * when no element has that id, `missing` says so, for the page to tell the person.
 */
import { tick } from 'svelte';

/** The element id a link names by its `#hash`. */
const hashTarget = () => location.hash.slice(1);

export class LinkedRecord {
  /** The id of the linked record's element; '' before a link is followed. */
  highlighted = $state('');
  /** The id a link named that no record on the page has (deleted, or never there); '' otherwise. */
  missing = $state('');

  /**
   * `shown` says whether the page's records are on screen yet; `target` is the element id the current
   * link names (its `#hash` unless the page reads it elsewhere). Create it while the page's component initialises.
   */
  constructor(shown: () => boolean, target: () => string = hashTarget) {
    let scrolledTo = '';
    $effect(() => {
      const wanted = target();
      if (!wanted || wanted === scrolledTo || !shown()) return;
      scrolledTo = wanted;
      this.highlighted = wanted;
      this.missing = '';
      void tick().then(() => {
        const element = document.getElementById(wanted);
        if (element) element.scrollIntoView({ block: 'center' });
        else this.missing = wanted;
      });
    });
  }
}
