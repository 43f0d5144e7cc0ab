/**
 * Links to the workspace's records, to paste in an e-mail: `/partners?partner=<id>` and
 * `/partners?agreement=<id>` open the partners page on that partner or agreement.
 */

/** The path of the partners page on a partner or an agreement, for a link within the app. */
export function recordPath(kind: 'partner' | 'agreement', id: string): string {
  return `/partners?${kind}=${encodeURIComponent(id)}`;
}

/** The address that shows a partner or an agreement on the partners page. */
export function recordLink(kind: 'partner' | 'agreement', id: string): string {
  return new URL(recordPath(kind, id), location.origin).href;
}

/** The element id (`partner-…`, `agreement-…`) an address of the partners page names: its query first, else its `#hash`. */
export function recordLinkTarget(url: URL): string {
  for (const kind of ['partner', 'agreement'] as const) {
    const id = url.searchParams.get(kind);
    if (id) return `${kind}-${id}`;
  }
  return url.hash.slice(1);
}
