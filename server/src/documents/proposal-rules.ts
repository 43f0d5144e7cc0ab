/**
 * The rules of a proposal document, run after each person's change (`afterTransaction`):
 * - who last changed each section's text in each language, stamped by the server (what a person
 *   writes to the stamps is undone: it could name anyone), so that a translation out of date says who
 *   changed its source and when;
 * - partner guests write the texts (and bring translations in line), never the structure: a section
 *   they add is removed, and what they change of a section's settings (owner, status, due date,
 *   limit, title, guidance, source language) or of the document's meta is put back;
 * - commenters suggest: what they change that is not a suggestion of theirs (insertion and
 *   deletion marks, suggested paragraph breaks, `shared/src/documents/suggestions.ts`), or a
 *   decision on the suggestions of a section they own, is undone;
 * - comments stay tied to their words when an edit re-inserted them (the Yjs binding writes a
 *   paragraph split before the words, or their block made a heading or a list, as deleting and
 *   inserting them): found again by their quote, they are tied to the new characters.
 */
import * as Y from 'yjs';
import {
  BLOCK_SUGGESTION,
  DELETION_MARK,
  GUARD_ORIGIN,
  GUEST_WRITABLE_SECTION_KEYS,
  INSERTION_MARK,
  ProposalComments,
  ProposalDoc,
  SectionText,
  SuggestionMark,
  anchorsOfPlace,
  blockSuggestionOf,
} from '@passerelle/shared';

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

/** The texts a section holds (its two languages). */
const TEXT_KEYS: ReadonlySet<string> = new Set(['fr', 'en']);

/** The section whose text `type` is or lies in, or null when it is not in a section's text. */
function sectionOfText(proposal: ProposalDoc, type: Y.AbstractType<unknown>): string | null {
  let node: Y.AbstractType<unknown> = type;
  while (node.parent instanceof Y.AbstractType) {
    const parent = node.parent as Y.AbstractType<unknown>;
    if (parent.parent === proposal.sections && parent instanceof Y.Map) {
      return node instanceof Y.XmlFragment && TEXT_KEYS.has(node._item?.parentSub ?? '') ? (parent._item?.parentSub ?? null) : null;
    }
    node = parent;
  }
  return null;
}

/** Whether a person owns a section (it is theirs, or their department's): they decide on its suggestions. */
function ownsSection(proposal: ProposalDoc, sectionId: string, actor: SuggestionActor): boolean {
  const owner = proposal.section(sectionId)?.owner;
  if (!owner) return false;
  return owner.kind === 'person' ? owner.userId === actor.userId : actor.departments.includes(owner.department);
}

/** Whether a mark's attributes are a suggestion mark of this person's. */
function isOwn(value: unknown, userId: string): boolean {
  const parsed = SuggestionMark.safeParse(value);
  return parsed.success && parsed.data.authorId === userId;
}

/** Plain data equality of two formatting values. */
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Whose transaction is judged: the commenter, and whether they decide on this section's suggestions (they own it). */
interface Judge {
  userId: string;
  decides: boolean;
}

/** One character of a text (an embed counts as one) with the formatting in force on it. */
interface Character {
  char: string;
  /** Never equal to a character: embeds are compared by identity. */
  embed: boolean;
  attributes: Readonly<Record<string, unknown>>;
}

/**
 * Whether one character's formatting went from `before` to `after` only as this person may: their
 * own deletion mark put on or taken back and, when they decide on the section's suggestions, any
 * suggestion mark dropped (an insertion accepted, a deletion rejected).
 */
function allowedFormatting(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>, judge: Judge): boolean {
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (sameValue(before[key], after[key])) continue;
    if (key !== DELETION_MARK && key !== INSERTION_MARK) return false;
    const dropped = key in before && !(key in after);
    if (dropped && judge.decides) continue;
    if (key === DELETION_MARK && (dropped ? isOwn(before[key], judge.userId) : !(key in before) && isOwn(after[key], judge.userId))) continue;
    return false;
  }
  return true;
}

/** Whether a character is part of this person's own pending insertion. */
const ownInsertion = (character: Character, userId: string) => !character.embed && isOwn(character.attributes[INSERTION_MARK], userId);

/** Whether a section's owner may remove a character: it is suggested (rejecting an insertion, accepting a deletion). */
const suggested = (character: Character) => INSERTION_MARK in character.attributes || DELETION_MARK in character.attributes;

/** Largest search (characters × characters removed) for a section owner's decisions: beyond it, the change is undone. */
const MAX_DECISION_WORK = 20_000_000;

/**
 * Whether a text went from `before` to `after` as a suggestion of this person's. Judged on the
 * characters and their formatting, not on Yjs items: the editor's binding writes a change as a
 * string diff, which may attribute a typed letter to the same letter next to it. Leaving out the
 * person's own pending insertion (which is theirs to write, reshape or take back), the text must
 * read the same, character for character, with only the formatting changes `allowedFormatting`
 * allows; a section's owner may also remove suggested characters (found by walking the text with the
 * set of alignments still possible, at most as wide as the number of characters removed).
 */
function isSuggestedChange(before: Character[], after: Character[], judge: Judge): boolean {
  const theirs = (character: Character) => ownInsertion(character, judge.userId);
  const was = judge.decides ? before : before.filter((character) => !theirs(character));
  const is = after.filter((character) => !theirs(character));
  const matches = (a: Character, b: Character) => !a.embed && !b.embed && a.char === b.char && allowedFormatting(a.attributes, b.attributes, judge);
  if (!judge.decides) return was.length === is.length && was.every((character, index) => matches(character, is[index]!));
  const removed = was.length - is.length;
  if (removed < 0 || was.length * (removed + 1) > MAX_DECISION_WORK) return false;
  // Positions in `is` reachable after reading `was` up to here.
  let reachable = new Set<number>([0]);
  for (const character of was) {
    const next = new Set<number>();
    for (const position of reachable) {
      if (position < is.length && matches(character, is[position]!)) next.add(position + 1);
      if (suggested(character)) next.add(position);
    }
    if (next.size === 0) return false;
    reachable = next;
  }
  return reachable.has(is.length);
}

/**
 * The characters of a text before and after a transaction, with their formatting: the items are
 * walked in order (items it deleted still hold their content until the transaction is cleaned up),
 * format items applied to what was there before and to what is there after.
 */
function charactersOf(text: Y.XmlText, transaction: Y.Transaction, existedBefore: boolean): { before: Character[]; after: Character[] } {
  const before: Character[] = [];
  const after: Character[] = [];
  let beforeAttributes: Readonly<Record<string, unknown>> = {};
  let afterAttributes: Readonly<Record<string, unknown>> = {};
  const apply = (attributes: Readonly<Record<string, unknown>>, key: string, value: unknown) => {
    const changed = { ...attributes };
    if (value === null) delete changed[key];
    else changed[key] = value;
    return changed;
  };
  for (let item = text._start; item !== null; item = item.right) {
    const added = !existedBefore || item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0);
    const removedNow = item.deleted && Y.isDeleted(transaction.deleteSet, item.id);
    const wasThere = !added && (!item.deleted || removedNow);
    const isThere = !item.deleted;
    if (item.content instanceof Y.ContentFormat) {
      if (wasThere) beforeAttributes = apply(beforeAttributes, item.content.key, item.content.value);
      if (isThere) afterAttributes = apply(afterAttributes, item.content.key, item.content.value);
      continue;
    }
    if (!item.countable) continue;
    const characters = item.content instanceof Y.ContentString ? [...item.content.str] : Array.from({ length: item.length }, () => '');
    const embed = !(item.content instanceof Y.ContentString);
    for (const char of characters) {
      if (wasThere) before.push({ char, embed, attributes: beforeAttributes });
      if (isThere) after.push({ char, embed, attributes: afterAttributes });
    }
  }
  return { before, after };
}

/** Whether everything a transaction did to one text is a suggestion of this person's (`isSuggestedChange`). */
function isSuggestion(text: Y.XmlText, transaction: Y.Transaction, judge: Judge, existedBefore: boolean): boolean {
  const { before, after } = charactersOf(text, transaction, existedBefore);
  return isSuggestedChange(before, after, judge);
}

/** The text (one language of a section) `type` is or lies in. */
function textOfSection(proposal: ProposalDoc, type: Y.AbstractType<any>): Y.XmlFragment | null {
  let node: Y.AbstractType<unknown> = type;
  while (node.parent instanceof Y.AbstractType) {
    const parent = node.parent as Y.AbstractType<unknown>;
    if (parent.parent === proposal.sections && parent instanceof Y.Map) return node instanceof Y.XmlFragment ? node : null;
    node = parent;
  }
  return null;
}

/** Stands for the start of a block (and the end of a block that holds blocks) among a text's characters; never a character of a text. */
const BLOCK_START = '\uE000';
const BLOCK_END = '\uE001';
/** The blocks that hold text: a paragraph break between two of them is a suggestion like a character. */
const TEXT_BLOCKS: ReadonlySet<string> = new Set(['paragraph', 'heading']);

/** Whether an item was added by the transaction (or lies in a type that was). */
const addedBy = (item: Y.Item, transaction: Y.Transaction, existedBefore: boolean) => !existedBefore || item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0);

/** An element's attributes before a transaction: the newest value of each key the transaction did not write, unless it was already gone. */
function attributesBefore(element: Y.XmlElement, transaction: Y.Transaction, existedBefore: boolean): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  if (!existedBefore) return attributes;
  for (const [key, latest] of element._map) {
    let item: Y.Item | null = latest;
    while (item !== null && addedBy(item, transaction, true)) item = item.left;
    if (item === null || (item.deleted && !Y.isDeleted(transaction.deleteSet, item.id))) continue;
    attributes[key] = item.content.getContent().at(-1);
  }
  return attributes;
}

/**
 * The character standing for a block's start: its name and attributes in the character (any change
 * to them is not a suggestion), except a well-formed suggested break, which is formatting of the
 * character under the mark of its kind (a `split` an insertion, a `join` a deletion).
 */
function blockStart(name: string, attributes: Readonly<Record<string, unknown>>): Character {
  const others: Record<string, unknown> = { ...attributes };
  const value = others[BLOCK_SUGGESTION];
  delete others[BLOCK_SUGGESTION];
  const suggested = blockSuggestionOf(value);
  if (!suggested && value !== undefined && value !== null) others[BLOCK_SUGGESTION] = value;
  const described = Object.keys(others)
    .sort()
    .map((key) => [key, others[key]]);
  const formatting: Record<string, unknown> = {};
  if (suggested) {
    const { kind, ...mark } = suggested;
    formatting[kind === 'split' ? INSERTION_MARK : DELETION_MARK] = mark;
  }
  return { char: `${BLOCK_START}${name}${JSON.stringify(described)}`, embed: false, attributes: formatting };
}

/**
 * The characters of a section's text before and after a transaction, its blocks included: each
 * block's start is a character (`blockStart`), and a block that holds blocks (a list, a quote, a
 * table) has an end too, so that nothing moves in or out of one unseen. A paragraph break between
 * two text blocks is then one character, which a person may suggest adding or removing as any other.
 */
function sectionCharacters(node: Y.XmlFragment | Y.XmlElement, transaction: Y.Transaction, existedBefore: boolean, wasThere: boolean, isThere: boolean, into: { before: Character[]; after: Character[] }): void {
  for (let item = node._start; item !== null; item = item.right) {
    if (!(item.content instanceof Y.ContentType)) continue;
    const added = addedBy(item, transaction, existedBefore);
    const childWas = wasThere && !added && (!item.deleted || Y.isDeleted(transaction.deleteSet, item.id));
    const childIs = isThere && !item.deleted;
    if (!childWas && !childIs) continue;
    const child = item.content.type;
    if (child instanceof Y.XmlText) {
      const { before, after } = charactersOf(child, transaction, !added);
      if (childWas) into.before.push(...before);
      if (childIs) into.after.push(...after);
    } else if (child instanceof Y.XmlElement) {
      if (childWas) into.before.push(blockStart(child.nodeName, attributesBefore(child, transaction, !added)));
      if (childIs) into.after.push(blockStart(child.nodeName, child.getAttributes()));
      sectionCharacters(child, transaction, !added, childWas, childIs, into);
      if (TEXT_BLOCKS.has(child.nodeName)) continue;
      const end: Character = { char: `${BLOCK_END}${child.nodeName}`, embed: false, attributes: {} };
      if (childWas) into.before.push(end);
      if (childIs) into.after.push(end);
    } else {
      // Not the editor's: never a suggestion.
      const other: Character = { char: '', embed: true, attributes: {} };
      if (childWas) into.before.push(other);
      if (childIs) into.after.push(other);
    }
  }
}

/** Whether everything a transaction did to a section's text, its blocks included, is a suggestion of this person's (`isSuggestedChange`). */
function isSuggestedText(fragment: Y.XmlFragment, transaction: Y.Transaction, judge: Judge): boolean {
  const into = { before: [] as Character[], after: [] as Character[] };
  const existedBefore = fragment._item === null || !addedBy(fragment._item, transaction, true);
  sectionCharacters(fragment, transaction, existedBefore, existedBefore, true, into);
  return isSuggestedChange(into.before, into.after, judge);
}

/** The commenter whose transaction `undoCommenterEdits` judges. */
export interface SuggestionActor {
  userId: string;
  /** Their departments: a section owned by one of them is theirs to decide on. */
  departments: readonly string[];
}

/**
 * Undoes every change of a commenter's transaction that is not a suggestion of theirs. A commenter
 * on a proposal may insert text carrying their own insertion mark, put their own deletion mark on
 * existing text (or take it back), and remove text that is their own pending insertion; in a section
 * they own (theirs or their department's) they also accept and reject suggestions (drop a suggestion
 * mark, remove suggested text). Nothing else: plain text, other marks, others' suggestions, the
 * structure, a section's settings, the meta. A text changed otherwise has all of that transaction's
 * changes to it undone; a change outside the texts undoes the whole transaction. The undoing is
 * Yjs's own (an `UndoManager` given this one transaction), so removed text comes back where it was,
 * with its marks. Returns the number of texts whose changes were undone, or 'all'.
 */
export function undoCommenterEdits(doc: Y.Doc, transaction: Y.Transaction, actor: SuggestionActor): { undone: number | 'all' } {
  const proposal = new ProposalDoc(doc);
  const texts: Y.XmlText[] = [];
  const judges = new Map<string, Judge>();
  const judgeOf = (sectionId: string): Judge => {
    let judge = judges.get(sectionId);
    if (!judge) judges.set(sectionId, (judge = { userId: actor.userId, decides: ownsSection(proposal, sectionId, actor) }));
    return judge;
  };
  let structure = false;
  // Section texts whose blocks changed (added, removed, a suggested break put on or taken off): judged whole.
  const reshaped = new Map<Y.XmlFragment, string>();
  for (const [type, keys] of transaction.changed) {
    const changed = type as Y.AbstractType<unknown>;
    const sectionId = sectionOfText(proposal, changed);
    if (sectionId === null) structure = true;
    else if (changed instanceof Y.XmlText) {
      // A text's own attributes are not the editor's: only its content may change.
      if (keys.size !== 1 || !keys.has(null)) structure = true;
      else if (!isSuggestion(changed, transaction, judgeOf(sectionId), true)) texts.push(changed);
    } else if (changed instanceof Y.XmlFragment && [...keys].every((key) => key === null || (changed instanceof Y.XmlElement && key === BLOCK_SUGGESTION))) {
      const fragment = textOfSection(proposal, changed);
      if (fragment) reshaped.set(fragment, sectionId);
      else structure = true;
    } else structure = true;
    if (structure) break;
  }
  if (!structure) {
    for (const [fragment, sectionId] of reshaped) if (!isSuggestedText(fragment, transaction, judgeOf(sectionId))) structure = true;
    // A text of a section judged whole is judged with it: a paragraph break moves characters from one text to the next.
    if (!structure && reshaped.size > 0) texts.splice(0, texts.length, ...texts.filter((text) => !reshaped.has(textOfSection(proposal, text)!)));
  }
  if (!structure && texts.length === 0) return { undone: 0 };
  const manager = new Y.UndoManager(structure ? doc : texts, { trackedOrigins: new Set([transaction.origin]), captureTimeout: 0 });
  try {
    manager.afterTransactionHandler(transaction);
    doc.transact(() => manager.undo(), GUARD_ORIGIN);
  } finally {
    manager.destroy();
    // The manager keeps what the transaction removed from being collected; once undone, it may be.
    Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
      for (let item: Y.Item | null = struct instanceof Y.Item ? struct : null; item !== null && item.keep; item = (item.parent as Y.AbstractType<unknown>)._item) item.keep = false;
    });
  }
  return { undone: structure ? 'all' : texts.length };
}

/**
 * Undoes what a connection's transaction changed in the document's comments: they are written by the
 * server only (through the API, which checks who may comment, resolve or delete, and names the
 * author), so a client cannot forge, edit, resolve or remove one over the sync connection. Returns
 * whether anything was undone.
 */
export function undoClientCommentChanges(doc: Y.Doc, transaction: Y.Transaction): boolean {
  const comments = doc.getMap('comments') as unknown as Y.AbstractType<unknown>;
  if (!transaction.changedParentTypes.has(comments as Y.AbstractType<Y.YEvent<any>>)) return false;
  const manager = new Y.UndoManager(comments, { trackedOrigins: new Set([transaction.origin]), captureTimeout: 0 });
  try {
    manager.afterTransactionHandler(transaction);
    doc.transact(() => manager.undo(), GUARD_ORIGIN);
  } finally {
    manager.destroy();
  }
  return true;
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
