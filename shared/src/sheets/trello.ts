/**
 * A Trello board export (the JSON of "Print and export" → "Export as JSON") read into a new board:
 * each open list becomes a column, each open card a card of it; what a card here has no field for
 * (labels, due date, checklists, comments) is written into its description as text, in the
 * importing person's language. Archived lists and cards stay behind, as in Trello's own view.
 */
import { z } from 'zod';
import type { Locale } from '../api.js';
import { LIMITS, type BoardDoc } from '../board/schema.js';
import { translate } from '../i18n/index.js';

const text = z.string().catch('');
const position = z.number().catch(0);

/** The parts of a Trello export read here; anything else in it is ignored. */
export const TrelloExport = z.object({
  name: z.string().trim().min(1).max(200),
  lists: z.array(z.object({ id: z.string(), name: text, closed: z.boolean().catch(false), pos: position })).max(500),
  cards: z
    .array(
      z.object({
        id: z.string(),
        name: text,
        desc: text,
        idList: z.string(),
        closed: z.boolean().catch(false),
        pos: position,
        due: z.string().nullable().catch(null),
        dueComplete: z.boolean().catch(false),
        idLabels: z.array(z.string()).catch([]),
      }),
    )
    .max(10_000),
  labels: z.array(z.object({ id: z.string(), name: text, color: z.string().nullable().catch(null) })).catch([]),
  checklists: z
    .array(
      z.object({
        id: z.string(),
        idCard: z.string(),
        name: text,
        pos: position,
        checkItems: z.array(z.object({ name: text, state: text, pos: position })).catch([]),
      }),
    )
    .catch([]),
  actions: z
    .array(
      z.object({
        type: text,
        date: text,
        data: z.object({ text: text, card: z.object({ id: z.string() }).optional().catch(undefined) }).catch({ text: '' }),
        memberCreator: z.object({ fullName: text }).optional().catch(undefined),
      }),
    )
    .catch([]),
});
export type TrelloExport = z.infer<typeof TrelloExport>;

const byPosition = <T extends { pos: number }>(items: readonly T[]) => [...items].sort((a, b) => a.pos - b.pos);

/** A card's description: its own text, then its labels, due date, checklists and comments as text. */
export function trelloCardDescription(board: TrelloExport, card: TrelloExport['cards'][number], locale: Locale): string {
  const parts: string[] = [];
  if (card.desc.trim()) parts.push(card.desc.trim());
  const facts: string[] = [];
  const labels = card.idLabels
    .map((id) => board.labels.find((label) => label.id === id))
    .filter((label) => label !== undefined)
    .map((label) => label.name || label.color || '')
    .filter(Boolean);
  if (labels.length) facts.push(translate(locale, 'sheets.trello.labels', { labels: labels.join(', ') }));
  if (card.due) {
    const day = card.due.slice(0, 10);
    facts.push(translate(locale, card.dueComplete ? 'sheets.trello.dueDone' : 'sheets.trello.due', { date: day }));
  }
  if (facts.length) parts.push(facts.join('\n'));
  for (const checklist of byPosition(board.checklists.filter((list) => list.idCard === card.id))) {
    const items = byPosition(checklist.checkItems).map((item) => `${item.state === 'complete' ? '☑' : '☐'} ${item.name}`);
    parts.push([translate(locale, 'sheets.trello.checklist', { name: checklist.name }), ...items].join('\n'));
  }
  // Trello lists actions newest first; a thread reads oldest first.
  const comments = board.actions
    .filter((action) => action.type === 'commentCard' && action.data.card?.id === card.id && action.data.text.trim())
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((action) => translate(locale, 'sheets.trello.comment', { author: action.memberCreator?.fullName || '?', date: action.date.slice(0, 10), text: action.data.text.trim() }));
  if (comments.length) parts.push([translate(locale, 'sheets.trello.comments'), ...comments].join('\n'));
  return parts.join('\n\n').slice(0, LIMITS.cardDescription);
}

/** Writes the export's open lists and cards onto an empty board; returns how many of each. */
export function importTrelloBoard(board: BoardDoc, trello: TrelloExport, options: { locale: Locale; createdBy: string }): { columns: number; cards: number } {
  let cards = 0;
  const lists = byPosition(trello.lists.filter((list) => !list.closed));
  for (const list of lists) {
    const columnId = board.addColumn(list.name.trim() || translate(options.locale, 'sheets.trello.untitled'));
    for (const card of byPosition(trello.cards.filter((candidate) => candidate.idList === list.id && !candidate.closed))) {
      board.addCard(columnId, {
        title: card.name.trim() || translate(options.locale, 'sheets.trello.untitled'),
        description: trelloCardDescription(trello, card, options.locale),
        createdBy: options.createdBy,
      });
      cards += 1;
    }
  }
  return { columns: lists.length, cards };
}
