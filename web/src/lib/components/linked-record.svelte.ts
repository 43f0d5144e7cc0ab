/**
 * A link to one record of a page (`/partners#partner-…`, `/mobility#flow-…`, from the search page):
 * once the page shows its records, the record whose element has the link's id is highlighted and
 * scrolled to the middle of the screen, once for each link followed.
 */
import { tick } from 'svelte';

export class LinkedRecord {
  /** The id of the linked record's element; '' before a link is followed. */
  highlighted = $state('');

  /** `shown` says whether the page's records are on screen yet. Create it while the page's component initialises. */
  constructor(shown: () => boolean) {
    let scrolledTo = '';
    $effect(() => {
      const target = location.hash.slice(1);
      if (!target || target === scrolledTo || !shown()) return;
      scrolledTo = target;
      this.highlighted = target;
      void tick().then(() => document.getElementById(target)?.scrollIntoView({ block: 'center' }));
    });
  }
}
