/**
 * A board's first screen: its columns in order with their titles and card counts, and the first
 * cards of each column with what a card face shows. The server keeps it next to the stored board
 * so that a page can show the board at once, before the whole document has synced (5,000 cards
 * take longer to apply in a browser than a person waits for a first screen).
 *
 * Only fields of the shareable board document that a card face shows are read here, by name: the
 * summary never holds anything of the internal document, and is the same for a member and a guest.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { GATED_STAGES, requiredSignOffs } from '../domain/workflow.js';
import { ActionType, Department, Priority, ProposalStage } from '../domain/vocabulary.js';
import { readCard, readProposalFields, readSignOffs } from './card-readers.js';
import { byPosition } from './order.js';
import { BoardDoc } from './schema.js';

/** Cards per column the first screen holds: more than a tall screen shows of one column. */
export const FIRST_SCREEN_CARDS_PER_COLUMN = 30;

/** A proposal's face: its chips, lead department, priorities, partners and the sign-offs of the gate it stands at. */
export const FirstScreenProposal = z.object({
  actionType: ActionType,
  stage: ProposalStage,
  leadDepartment: Department,
  priorities: z.array(Priority),
  partnerIds: z.array(z.string()),
  /** At a gated stage: the departments whose sign-off it needs, and those who signed; else null. */
  gate: z.object({ required: z.array(Department), signed: z.array(Department) }).nullable(),
});
export type FirstScreenProposal = z.infer<typeof FirstScreenProposal>;

export const FirstScreenCard = z.object({
  id: z.string(),
  kind: z.enum(['note', 'proposal']),
  title: z.string(),
  /** Whether the card has a description (the face shows an icon, not the text). */
  hasDescription: z.boolean(),
  /** For a proposal card, what its face shows besides the title; null for a note. */
  proposal: FirstScreenProposal.nullable(),
});
export type FirstScreenCard = z.infer<typeof FirstScreenCard>;

export const FirstScreenColumn = z.object({
  id: z.string(),
  title: z.string(),
  /** Every card of the column, also those beyond `cards`. */
  cardCount: z.number().int().min(0),
  /** The first cards of the column in display order, up to `FIRST_SCREEN_CARDS_PER_COLUMN`. */
  cards: z.array(FirstScreenCard),
});
export type FirstScreenColumn = z.infer<typeof FirstScreenColumn>;

/** What is stored for a board and served to its readers (`GET /api/boards/:boardId/first-screen`). */
export const FirstScreen = z.object({
  /** Columns in display order. */
  columns: z.array(FirstScreenColumn),
  /** Every card of the board that is in a column. */
  cardCount: z.number().int().min(0),
});
export type FirstScreen = z.infer<typeof FirstScreen>;

/**
 * The cookie a member's browser sets, on a board's own path, while it keeps a copy of the board
 * (its value: the member's id): their page then draws that copy, which may hold changes the server
 * has not received yet, and the server does not draw the board's first screen into it.
 */
export const LOCAL_COPY_COOKIE = 'passerelle_copy';

/**
 * The cookie a browser sets, on a board's own path, while the person (its value: their id) shows
 * the board view in lanes there: the first screen, drawn without lanes, is then not what their
 * page shows, and neither the server nor the app draws it.
 */
export const LANES_COOKIE = 'passerelle_lanes';

/**
 * The cookie the app sets with the browser's time zone (an IANA name, "America/Sao_Paulo"): the
 * dates the server draws into a page before the app runs are then those the app draws.
 */
export const TIME_ZONE_COOKIE = 'passerelle_tz';

/**
 * What a board's page carries of the board when the server sends it to someone who may read it:
 * drawn into the page, it is painted before the app's scripts run (`firstScreenPage` on the server,
 * the web app's server hook), and handed to the app, which then does not ask for the first screen.
 */
export interface FirstScreenPage {
  boardId: string;
  title: string;
  /** Who opens it (the board's bar shows them among those here). */
  me: { id: string; name: string };
  /** The person's language: their saved one, else their browser's. */
  locale: 'fr' | 'en';
  canEdit: boolean;
  canComment: boolean;
  /** Whether the board's bar offers sharing (owners). */
  canShare: boolean;
  /** The browser's time zone as the app last told it (`TIME_ZONE_COOKIE`), or null if it never has. */
  timeZone: string | null;
  /** The browser's regional form of `locale` for dates ("en-NZ"), from its `Accept-Language`, or null. */
  dateLocale: string | null;
  /** For a partner guest, what their access is (the banner under the header); null for a member. */
  guest: { organisation: string | null; expiresAt: string; role: 'viewer' | 'commenter' | 'editor' } | null;
  screen: FirstScreen;
}

/** A proposal card's face. */
function proposalFace(card: Y.Map<unknown>): FirstScreenProposal {
  const fields = readProposalFields(card);
  let gate: FirstScreenProposal['gate'] = null;
  if (GATED_STAGES.includes(fields.stage)) {
    const required = requiredSignOffs(fields, fields.stage);
    const signOffs = readSignOffs(card);
    gate = { required, signed: required.filter((department) => signOffs.some((s) => s.gate === fields.stage && s.department === department)) };
  }
  return {
    actionType: fields.actionType,
    stage: fields.stage,
    leadDepartment: fields.leadDepartment,
    priorities: fields.priorities,
    partnerIds: fields.partnerIds,
    gate,
  };
}

/**
 * The first screen of a board document. Every card is visited once for its column and position;
 * only the first `perColumn` of each column are read in full, so a 5,000-card board costs little
 * more than its cards' keys.
 */
export function readFirstScreen(doc: Y.Doc, perColumn = FIRST_SCREEN_CARDS_PER_COLUMN): FirstScreen {
  const board = new BoardDoc(doc);
  const columns = board.listColumns();
  const byColumn = new Map<string, { id: string; position: string; card: Y.Map<unknown> }[]>(columns.map((column) => [column.id, []]));
  board.cards.forEach((card: unknown, id) => {
    if (!(card instanceof Y.Map)) return;
    const group = byColumn.get(String(card.get('columnId') ?? ''));
    group?.push({ id, position: String(card.get('position') ?? ''), card });
  });
  let cardCount = 0;
  const result: FirstScreenColumn[] = columns.map((column) => {
    const group = byColumn.get(column.id)!;
    cardCount += group.length;
    group.sort(byPosition);
    return {
      id: column.id,
      title: column.title,
      cardCount: group.length,
      cards: group.slice(0, perColumn).map(({ id, card }) => {
        const view = readCard(id, card);
        return {
          id,
          kind: view.kind,
          title: view.title,
          hasDescription: view.description.trim() !== '',
          proposal: view.kind === 'proposal' ? proposalFace(card) : null,
        };
      }),
    };
  });
  return { columns: result, cardCount };
}
