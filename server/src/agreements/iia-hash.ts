/**
 * The `iia-hash` of an IIA v7: the SHA-256 of the text the EWP `transform_version_7.xsl` builds
 * (`text-to-hash`), computed here over the element tree instead of running XSLT 2.0, which no
 * maintained Node library runs. Its rules, from the stylesheet:
 * - `_@terminated-as-a-whole@_` first when the cooperation conditions carry it as true;
 * - each partner's `iia-id` as `_iia-id_<position>=<value>_` (empty when absent);
 * - for each mobility, every descendant in document order except inside sending or receiving
 *   contacts, except the first and last academic years, and except anything under an element
 *   marked `not-yet-defined`: its attributes (but `not-yet-defined` and `v6-value`) as
 *   `_@<grandparent>.<parent>.<element>.<attribute>=<value>@_`, then, for an element without
 *   element children, `_<grandparent>.<parent>.<element>=<value>_`, an `isced-f-code` giving its
 *   `v6-value` instead when it has one;
 * - then that mobility's `_receiving-first-academic-year-id=…_` and `_receiving-last-academic-year-id=…_`.
 */
import { createHash } from 'node:crypto';
import { childNamed, childrenNamed, type XmlNode } from './xml-tree.js';

const isTrue = (value: string | undefined) => value === 'true' || value === '1';
const EXCLUDED_ANCESTORS = new Set(['sending-contact', 'receiving-contact']);
const YEARS = new Set(['receiving-first-academic-year-id', 'receiving-last-academic-year-id']);
const SKIPPED_ATTRIBUTES = new Set(['not-yet-defined', 'v6-value']);

function valueOf(node: XmlNode | undefined): string {
  if (!node) return '';
  if (node.name === 'isced-f-code' && node.attributes['v6-value']) return node.attributes['v6-value'];
  // An element's string value: its text and that of every descendant.
  return node.text + node.children.map(valueOf).join('');
}

/** The `text-to-hash` of one `iia` element. */
export function iiaTextToHash(iia: XmlNode, root: XmlNode = iia): string {
  let text = '';
  // The stylesheet looks for the flag anywhere in the document (`//cooperation-conditions`).
  const flagged = (node: XmlNode): boolean =>
    (node.name === 'cooperation-conditions' && isTrue(node.attributes['terminated-as-a-whole'])) || node.children.some(flagged);
  if (flagged(root)) text += '_@terminated-as-a-whole@_';
  childrenNamed(iia, 'partner').forEach((partner, index) => {
    text += `_iia-id_${index + 1}=${valueOf(childNamed(partner, 'iia-id'))}_`;
  });
  const conditions = childNamed(iia, 'cooperation-conditions');
  // Whether an ancestor above the conditions is marked `not-yet-defined`: then nothing inside counts.
  const markedAbove = (function marked(node: XmlNode, path: XmlNode[]): boolean | null {
    if (node === conditions) return path.some((ancestor) => isTrue(ancestor.attributes['not-yet-defined']));
    for (const child of node.children) {
      const found = marked(child, [...path, node]);
      if (found !== null) return found;
    }
    return null;
  })(root, []);
  for (const mobility of conditions?.children ?? []) {
    const walk = (node: XmlNode, ancestors: XmlNode[]) => {
      const excluded =
        ancestors.some((ancestor) => EXCLUDED_ANCESTORS.has(ancestor.name)) ||
        YEARS.has(node.name) ||
        markedAbove === true ||
        [...ancestors, node].some((each) => isTrue(each.attributes['not-yet-defined']));
      const parent = ancestors.at(-1)!;
      const grandparent = ancestors.at(-2) ?? conditions!;
      if (!excluded) {
        for (const [name, value] of Object.entries(node.attributes)) {
          if (!SKIPPED_ATTRIBUTES.has(name)) text += `_@${grandparent.name}.${parent.name}.${node.name}.${name}=${value}@_`;
        }
        if (node.children.length === 0) text += `_${grandparent.name}.${parent.name}.${node.name}=${valueOf(node)}_`;
      }
      for (const child of node.children) walk(child, [...ancestors, node]);
    };
    for (const child of mobility.children) walk(child, [conditions!, mobility]);
    text += `_receiving-first-academic-year-id=${valueOf(childNamed(mobility, 'receiving-first-academic-year-id'))}_`;
    text += `_receiving-last-academic-year-id=${valueOf(childNamed(mobility, 'receiving-last-academic-year-id'))}_`;
  }
  return text;
}

/** The `iia-hash` of one `iia` element: SHA-256 of its `text-to-hash`, in lowercase hex. */
export function iiaHash(iia: XmlNode, root: XmlNode = iia): string {
  return createHash('sha256').update(iiaTextToHash(iia, root), 'utf8').digest('hex');
}
