/**
 * Restoring a past state as a new change. Rewinding a Yjs document is not possible (every replica
 * keeps what it has seen), so a restore writes, in the live document, the differences between the
 * current content and the version's: map entries set to the version's values, texts edited to the
 * version's text, what the version did not have deleted, what it had re-created. Every replica
 * receives that one transaction and converges; nested maps and texts that exist in both are edited in
 * place rather than replaced, so someone editing a card at the same moment keeps a merge, not a loss.
 */
import * as Y from 'yjs';

/** The type of a root (top-level) shared type, which a document's update does not record by itself. */
export type RootKind = 'map' | 'text';

/** Which document a version holds: each has its own layout of root types. */
export type VersionedDocument = 'board' | 'internal' | 'workspace' | 'proposal';

/**
 * The type of a root type by name. Board and workspace documents only have maps at the root; the
 * internal document has the board's notes and each proposal's notes as texts (see `InternalDoc`).
 */
export function rootKindOf(document: VersionedDocument, name: string): RootKind {
  if (document === 'internal' && (name === 'notes' || /^proposal\/[^/]+\/notes$/.test(name))) return 'text';
  return 'map';
}

/**
 * The root types of a proposal document a restore brings back: its sections (texts, settings and
 * translations' alignments). The meta map is the schema's; comments and whatever else lives beside
 * the sections is the conversation about the text, which a restore of the text must not erase.
 */
const PROPOSAL_RESTORED_ROOTS: ReadonlySet<string> = new Set(['sections']);

/**
 * Keys of a proposal section a restore leaves as they are: who last changed each text is the
 * server's record, which it renews for the person restoring (`stampEdits`).
 */
const PROPOSAL_SECTION_KEPT_KEYS: ReadonlySet<string> = new Set(['edited']);

/**
 * Makes `live` hold the content of `version`, in one transaction with `origin`. Root types only in
 * `live` are emptied (root types cannot be removed, and an empty one is the same as a missing one
 * to every reader). Of a proposal document, only the sections are restored (see
 * `PROPOSAL_RESTORED_ROOTS`), their texts edited in place so that an editor bound to one sees
 * the change as anyone's edit.
 */
export function restoreDocument(live: Y.Doc, version: Y.Doc, document: VersionedDocument, origin?: unknown): void {
  if (document === 'proposal') {
    live.transact(() => {
      const target = live.getMap('sections');
      const source = version.getMap('sections');
      for (const sectionId of [...target.keys()]) if (!source.has(sectionId)) target.delete(sectionId);
      for (const [sectionId, section] of source.entries()) {
        const current = target.get(sectionId);
        // A section is always a map; anything else a version holds is no section to bring back.
        if (!(section instanceof Y.Map)) continue;
        if (current instanceof Y.Map) reconcileMap(current, section, PROPOSAL_SECTION_KEPT_KEYS);
        else target.set(sectionId, section.clone());
      }
    }, origin);
    return;
  }
  const names = new Set([...live.share.keys(), ...version.share.keys()]);
  live.transact(() => {
    for (const name of [...names].sort()) {
      if (rootKindOf(document, name) === 'text') reconcileText(live.getText(name), version.getText(name));
      else reconcileMap(live.getMap(name), version.getMap(name));
    }
  }, origin);
}

/**
 * Makes `target` hold what `source` holds, reusing nested types both have. Its own keys in `keep`
 * are left as they are.
 */
export function reconcileMap(target: Y.Map<unknown>, source: Y.Map<unknown>, keep: ReadonlySet<string> = new Set()): void {
  for (const key of [...target.keys()]) if (!source.has(key) && !keep.has(key)) target.delete(key);
  for (const [key, value] of source.entries()) {
    if (keep.has(key)) continue;
    const current = target.get(key);
    if (value instanceof Y.XmlFragment) {
      // Rich text (a proposal section's): edited in place, so that its editors stay bound to it.
      if (current instanceof Y.XmlFragment && sameXmlKind(current, value)) reconcileXml(current, value);
      else target.set(key, value.clone());
    } else if (value instanceof Y.Text) {
      if (current instanceof Y.Text) reconcileText(current, value);
      else target.set(key, value.clone());
    } else if (value instanceof Y.Map) {
      if (current instanceof Y.Map) reconcileMap(current, value);
      else target.set(key, value.clone());
    } else if (value instanceof Y.Array) {
      if (current instanceof Y.Array) reconcileArray(current, value);
      else target.set(key, value.clone());
    } else if (value instanceof Y.AbstractType) {
      // Other shared types are not part of any Passerelle schema: copied whole when they differ.
      if (!(current instanceof Y.AbstractType) || JSON.stringify(current.toJSON()) !== JSON.stringify(value.toJSON())) {
        target.set(key, (value as Y.AbstractType<any> & { clone(): Y.AbstractType<any> }).clone());
      }
    } else if (current instanceof Y.AbstractType || !sameValue(current, value) || !target.has(key)) {
      target.set(key, value);
    }
  }
}

/**
 * Makes `target` read as `source` with one edit: the part between their common beginning and end
 * is replaced, so a concurrent edit elsewhere in the text survives. Formatted texts (none in
 * Passerelle's schemas) are rewritten whole to keep their attributes.
 */
export function reconcileText(target: Y.Text, source: Y.Text): void {
  const delta = source.toDelta() as { insert: unknown; attributes?: object }[];
  if (delta.some((op) => op.attributes !== undefined || typeof op.insert !== 'string')) {
    if (JSON.stringify(target.toDelta()) === JSON.stringify(delta)) return;
    target.delete(0, target.length);
    target.applyDelta(delta);
    return;
  }
  const before = target.toString();
  const after = source.toString();
  if (before === after) return;
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // Never split a surrogate pair: the edit starts before a high surrogate it would cut.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < shorter - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  if (end > 0 && isLowSurrogate(before.charCodeAt(before.length - end))) end--;
  const removed = before.length - start - end;
  if (removed > 0) target.delete(start, removed);
  const inserted = after.slice(start, after.length - end);
  if (inserted) target.insert(start, inserted);
}

/** Whether two XML types are of the same kind and, for elements, the same node name. */
function sameXmlKind(a: Y.XmlFragment, b: Y.XmlFragment): boolean {
  if (a instanceof Y.XmlElement || b instanceof Y.XmlElement) return a instanceof Y.XmlElement && b instanceof Y.XmlElement && a.nodeName === b.nodeName;
  return true;
}

/** A node of a rich text, written out with its marks and attributes, to tell equal nodes apart from changed ones. */
function xmlKey(node: unknown): string {
  if (node instanceof Y.XmlText) return `t${JSON.stringify(node.toDelta())}`;
  if (node instanceof Y.XmlElement) {
    const attributes = Object.entries(node.getAttributes()).sort(([a], [b]) => a.localeCompare(b));
    return `e${node.nodeName}${JSON.stringify(attributes)}[${node.toArray().map(xmlKey).join(',')}]`;
  }
  return `?${String(node)}`;
}

/**
 * Makes a rich text (or one of its elements) read as `source`: the children both begin and end
 * with are kept, and between them children of the same kind are edited in place (a paragraph whose
 * words changed stays the same paragraph) and the others replaced; so an edit elsewhere in the text
 * at the same moment survives.
 */
export function reconcileXml(target: Y.XmlFragment, source: Y.XmlFragment): void {
  if (target instanceof Y.XmlElement && source instanceof Y.XmlElement) {
    const wanted = source.getAttributes();
    for (const name of Object.keys(target.getAttributes())) if (!(name in wanted)) target.removeAttribute(name);
    for (const [name, value] of Object.entries(wanted)) if (JSON.stringify(target.getAttribute(name)) !== JSON.stringify(value)) target.setAttribute(name, value as string);
  }
  const before = target.toArray();
  const after = source.toArray();
  const beforeKeys = before.map(xmlKey);
  const afterKeys = after.map(xmlKey);
  let start = 0;
  while (start < before.length && start < after.length && beforeKeys[start] === afterKeys[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && beforeKeys[before.length - 1 - end] === afterKeys[after.length - 1 - end]) end++;
  const oldMiddle = before.slice(start, before.length - end);
  const newMiddle = after.slice(start, after.length - end);
  if (oldMiddle.length === 0 && newMiddle.length === 0) return;
  const inPlace =
    oldMiddle.length === newMiddle.length &&
    oldMiddle.every((node, i) => {
      const wanted = newMiddle[i];
      if (node instanceof Y.XmlText) return wanted instanceof Y.XmlText;
      return node instanceof Y.XmlElement && wanted instanceof Y.XmlElement && node.nodeName === wanted.nodeName;
    });
  if (inPlace) {
    oldMiddle.forEach((node, i) => {
      const wanted = newMiddle[i]!;
      if (node instanceof Y.XmlText) reconcileText(node, wanted as Y.XmlText);
      else reconcileXml(node as Y.XmlElement, wanted as Y.XmlElement);
    });
    return;
  }
  if (oldMiddle.length > 0) target.delete(start, oldMiddle.length);
  if (newMiddle.length > 0) target.insert(start, newMiddle.map((node) => (node as Y.XmlElement | Y.XmlText).clone()));
}

/** Arrays (none nested in Passerelle's schemas yet) are rewritten whole when they differ. */
function reconcileArray(target: Y.Array<unknown>, source: Y.Array<unknown>): void {
  if (JSON.stringify(target.toJSON()) === JSON.stringify(source.toJSON())) return;
  target.delete(0, target.length);
  target.insert(
    0,
    source.toArray().map((item) => (item instanceof Y.AbstractType ? (item as Y.AbstractType<any> & { clone(): unknown }).clone() : item)),
  );
}

/** Deep equality of plain values as Yjs stores them (JSON-like values and byte arrays). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((byte, i) => byte === b[i]);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((item, i) => sameValue(item, (b as unknown[])[i]));
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  return aKeys.length === Object.keys(b).length && aKeys.every((key) => key in bRecord && sameValue((a as Record<string, unknown>)[key], bRecord[key]));
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
