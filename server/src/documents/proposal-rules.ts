/**
 * The rules of a proposal document, run after each person's change (`afterTransaction`):
 * - who last changed each section's text in each language, stamped by the server (what a person
 *   writes to the stamps is undone: it could name anyone), so that a translation out of date says who
 *   changed its source and when;
 * - partner guests write the texts (and bring translations in line), never the structure: a section
 *   they add is removed, and what they change of a section's settings (owner, status, due date,
 *   limit, title, guidance, source language) or of the document's meta is put back;
 * - comments stay tied to their words when an edit re-inserted them (the Yjs binding writes a
 *   paragraph split before the words, or their block made a heading or a list, as deleting and
 *   inserting them): found again by their quote, they are tied to the new characters.
 */
import * as Y from 'yjs';
import { GUARD_ORIGIN, GUEST_WRITABLE_SECTION_KEYS, ProposalComments, ProposalDoc, SectionText, anchorsOfPlace } from '@passerelle/shared';

/** A person's stamp on a text is renewed at most this often while they keep typing in it. */
export const EDIT_STAMP_INTERVAL_MS = 30_000;

/** Stamps the texts a person's transaction changed with their name and the time; returns how many. */
export function stampEdits(doc: Y.Doc, transaction: Y.Transaction, actor: { userId: string; name: string }, now = Date.now()): number {
  const proposal = new ProposalDoc(doc);
  const due = proposal.textsChangedBy(transaction).filter(({ sectionId, language }) => {
    const last = proposal.lastEdit(sectionId, language);
    return !last || last.userId !== actor.userId || now - Date.parse(last.at) >= EDIT_STAMP_INTERVAL_MS;
  });
  if (due.length === 0) return 0;
  const at = new Date(now).toISOString();
  doc.transact(() => {
    for (const { sectionId, language } of due) proposal.stampEdit(sectionId, language, { userId: actor.userId, name: actor.name, at });
  }, GUARD_ORIGIN);
  return due.length;
}

/** The map events a transaction made on `type` itself. */
function ownEvents(transaction: Y.Transaction, type: Y.Map<unknown>): Y.YMapEvent<unknown>[] {
  return (transaction.changedParentTypes.get(type as unknown as Y.AbstractType<Y.YEvent<any>>) ?? []).filter((event): event is Y.YMapEvent<unknown> => event.target === type && event instanceof Y.YMapEvent);
}

/** Puts back the keys a transaction changed on `map`, except those `keep` allows. */
function restoreKeys(map: Y.Map<unknown>, transaction: Y.Transaction, keep: (key: string) => boolean, undo: (() => void)[]): void {
  for (const event of ownEvents(transaction, map)) {
    event.changes.keys.forEach((change, key) => {
      if (keep(key)) return;
      if (change.action === 'add') undo.push(() => map.delete(key));
      // A shared type once removed cannot be put back: a fresh empty one stands in its place.
      else if (change.oldValue instanceof Y.AbstractType) undo.push(() => map.set(key, new Y.Map<unknown>()));
      else undo.push(() => map.set(key, change.oldValue));
    });
  }
}

/** Undoes what a person's transaction wrote to the edit stamps, which only the server writes; returns how many. */
export function undoForgedStamps(doc: Y.Doc, transaction: Y.Transaction): number {
  const proposal = new ProposalDoc(doc);
  const undo: (() => void)[] = [];
  proposal.sections.forEach((section) => {
    if (!(section instanceof Y.Map)) return;
    restoreKeys(section, transaction, (key) => key !== 'edited', undo);
    const edited = section.get('edited');
    if (edited instanceof Y.Map) restoreKeys(edited, transaction, () => false, undo);
  });
  if (undo.length > 0) doc.transact(() => undo.forEach((step) => step()), GUARD_ORIGIN);
  return undo.length;
}

/**
 * Undoes what a guest's transaction changed beyond the texts. Returns the number of changes undone
 * and the sections the guest deleted (which cannot be brought back from here: versions can).
 */
export function undoGuestStructureChanges(doc: Y.Doc, transaction: Y.Transaction): { undone: number; deletedSections: string[] } {
  const proposal = new ProposalDoc(doc);
  const undo: (() => void)[] = [];
  const deletedSections: string[] = [];
  for (const event of ownEvents(transaction, proposal.sections as Y.Map<unknown>)) {
    event.changes.keys.forEach((change, sectionId) => {
      if (change.action === 'add') undo.push(() => proposal.sections.delete(sectionId));
      else if (change.action === 'delete') deletedSections.push(sectionId);
    });
  }
  restoreKeys(proposal.meta, transaction, () => false, undo);
  proposal.sections.forEach((section) => {
    if (section instanceof Y.Map) restoreKeys(section, transaction, (key) => GUEST_WRITABLE_SECTION_KEYS.has(key), undo);
  });
  if (undo.length > 0) doc.transact(() => undo.forEach((step) => step()), GUARD_ORIGIN);
  return { undone: undo.length, deletedSections };
}

/**
 * Ties the comments on the texts a person's transaction changed to their words again when that
 * change re-inserted them (`SectionText.locate` found them by their quote); returns how many.
 */
export function reanchorMovedComments(doc: Y.Doc, transaction: Y.Transaction): number {
  // Only a change that deletes can leave anchors on deleted characters: typing alone costs nothing here.
  if (transaction.deleteSet.clients.size === 0) return 0;
  const proposal = new ProposalDoc(doc);
  const changed = proposal.textsChangedBy(transaction);
  if (changed.length === 0) return 0;
  const comments = new ProposalComments(doc);
  const moved: { id: string; anchors: { start: string; end: string } }[] = [];
  for (const { sectionId, language } of changed) {
    const onText = comments.list(sectionId).filter((comment) => comment.language === language);
    const fragment = onText.length > 0 ? proposal.text(sectionId, language) : null;
    if (!fragment) continue;
    const text = new SectionText(fragment);
    for (const comment of onText) {
      const place = text.locate(comment);
      if (place?.moved) moved.push({ id: comment.id, anchors: anchorsOfPlace(place) });
    }
  }
  if (moved.length > 0) doc.transact(() => moved.forEach(({ id, anchors }) => comments.reanchor(id, anchors)), GUARD_ORIGIN);
  return moved.length;
}
