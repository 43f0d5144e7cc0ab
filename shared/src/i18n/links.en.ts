/** English messages of links to cards, proposals, partners and agreements; dates; first start. Keys are shared with `links.fr.ts`. */
export const enLinks = {
} as const;
