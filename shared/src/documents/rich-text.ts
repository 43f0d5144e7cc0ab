/**
 * A proposal section's rich text (a Y.XmlFragment bound to the editor through y-prosemirror) read as
 * plain data: blocks (headings, paragraphs, lists, tables, quotes) of runs of text with their marks.
 * Exports (DOCX, PDF) and comparisons read sections through this, never through the editor. Node and
 * mark names are the editor's (Tiptap's): `paragraph`, `heading` (attribute `level`), `bulletList`,
 * `orderedList`, `listItem`, `table`, `tableRow`, `tableCell`, `tableHeader`, `blockquote`,
 * `hardBreak`; marks `bold`, `italic`, `underline`, `strike`, `link` (`href`).
 *
 * The text is read as agreed so far: a pending suggested insertion is left out and a pending
 * suggested deletion is still there, as plain text (`suggestions.ts`).
 */
import * as Y from 'yjs';
import { BLOCK_SUGGESTION, blockSuggestionOf, isAgreedText } from './suggestions.js';

/** A run of text with the marks it carries. */
export interface TextRun {
  text: string;
  bold?: true;
  italic?: true;
  underline?: true;
  strike?: true;
  /** The link's address, when the run is a link (http, https or mailto only). */
  link?: string;
}

export type RichBlock =
  | { type: 'heading'; level: 1 | 2 | 3 | 4; runs: TextRun[] }
  | { type: 'paragraph'; runs: TextRun[] }
  | { type: 'list'; ordered: boolean; items: RichBlock[][] }
  | { type: 'table'; rows: { header: boolean; cells: RichBlock[][] }[] }
  | { type: 'quote'; blocks: RichBlock[] };

/** Only addresses a reader may follow safely become links. */
function safeLink(value: unknown): string | undefined {
  const href = typeof value === 'object' && value !== null ? (value as { href?: unknown }).href : undefined;
  return typeof href === 'string' && /^(https?:|mailto:)/i.test(href.trim()) ? href.trim() : undefined;
}

/** The runs of a text node as agreed so far, with their marks. */
function runsOf(text: Y.XmlText): TextRun[] {
  const runs: TextRun[] = [];
  for (const op of text.toDelta() as { insert?: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert !== 'string' || op.insert === '' || !isAgreedText(op.attributes)) continue;
    const marks = op.attributes ?? {};
    const run: TextRun = { text: op.insert };
    if (marks.bold) run.bold = true;
    if (marks.italic) run.italic = true;
    if (marks.underline) run.underline = true;
    if (marks.strike) run.strike = true;
    const link = safeLink(marks.link);
    if (link) run.link = link;
    runs.push(run);
  }
  return runs;
}

/** The inline content of a textblock: its texts' runs, a hard break as a line break. */
function inlineRuns(element: Y.XmlElement): TextRun[] {
  const runs: TextRun[] = [];
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) runs.push(...runsOf(child));
    else if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') runs.push({ text: '\n' });
  }
  return runs;
}

function headingLevel(element: Y.XmlElement): 1 | 2 | 3 | 4 {
  const level = Number(element.getAttribute('level'));
  return level === 1 || level === 2 || level === 3 ? level : 4;
}

/**
 * Adds a paragraph or heading to the blocks read so far; after a suggested paragraph break not yet
 * accepted, its runs go on the block before, as agreed so far.
 */
function pushTextBlock(blocks: RichBlock[], element: Y.XmlElement, block: Extract<RichBlock, { type: 'paragraph' | 'heading' }>): void {
  const previous = blocks.at(-1);
  if (blockSuggestionOf(element.getAttribute(BLOCK_SUGGESTION))?.kind === 'split' && (previous?.type === 'paragraph' || previous?.type === 'heading')) {
    blocks[blocks.length - 1] = { ...previous, runs: [...previous.runs, ...block.runs] };
  } else blocks.push(block);
}

/** The blocks under a node (the fragment itself, a list item, a table cell, a quote). */
function blocksOf(node: Y.XmlFragment | Y.XmlElement): RichBlock[] {
  const blocks: RichBlock[] = [];
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) {
      // Text directly under a container (not produced by the editor): read as a paragraph.
      blocks.push({ type: 'paragraph', runs: runsOf(child) });
      continue;
    }
    if (!(child instanceof Y.XmlElement)) continue;
    switch (child.nodeName) {
      case 'heading':
        pushTextBlock(blocks, child, { type: 'heading', level: headingLevel(child), runs: inlineRuns(child) });
        break;
      case 'bulletList':
      case 'orderedList':
        blocks.push({
          type: 'list',
          ordered: child.nodeName === 'orderedList',
          items: child.toArray().flatMap((item) => (item instanceof Y.XmlElement ? [blocksOf(item)] : [])),
        });
        break;
      case 'table':
        blocks.push({
          type: 'table',
          rows: child.toArray().flatMap((row) =>
            row instanceof Y.XmlElement
              ? [
                  {
                    header: row.toArray().some((cell) => cell instanceof Y.XmlElement && cell.nodeName === 'tableHeader'),
                    cells: row.toArray().flatMap((cell) => (cell instanceof Y.XmlElement ? [blocksOf(cell)] : [])),
                  },
                ]
              : [],
          ),
        });
        break;
      case 'blockquote':
        blocks.push({ type: 'quote', blocks: blocksOf(child) });
        break;
      case 'paragraph':
        pushTextBlock(blocks, child, { type: 'paragraph', runs: inlineRuns(child) });
        break;
      default: {
        // An element this reader does not know: its text, so nothing written is lost.
        const inner = blocksOf(child);
        blocks.push(...(inner.length > 0 ? inner : [{ type: 'paragraph' as const, runs: inlineRuns(child) }]));
      }
    }
  }
  return blocks;
}

/** A rich text as blocks. */
export function richTextBlocks(fragment: Y.XmlFragment): RichBlock[] {
  return blocksOf(fragment);
}

/** The plain text of runs. */
export function runsText(runs: readonly TextRun[]): string {
  return runs.map((run) => run.text).join('');
}

/**
 * Writes blocks into an empty rich text as the editor would hold them (the demo's drafted
 * sections, imports). Paragraphs, headings, bullet and numbered lists, quotes and tables.
 */
export function writeRichText(fragment: Y.XmlFragment, blocks: readonly RichBlock[]): void {
  const textElement = (name: string, runs: readonly TextRun[], attributes: Record<string, string> = {}) => {
    const element = new Y.XmlElement(name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
    const text = new Y.XmlText();
    element.insert(0, [text]);
    let at = 0;
    for (const run of runs) {
      // Every mark given, null for those the run has not: Yjs gives text inserted without
      // attributes the marks of the text before it.
      const marks: Record<string, unknown> = {
        bold: run.bold ? {} : null,
        italic: run.italic ? {} : null,
        underline: run.underline ? {} : null,
        strike: run.strike ? {} : null,
        link: run.link ? { href: run.link } : null,
      };
      text.insert(at, run.text, marks);
      at += run.text.length;
    }
    return element;
  };
  const elementsOf = (items: readonly RichBlock[]): Y.XmlElement[] =>
    items.map((block) => {
      switch (block.type) {
        case 'heading':
          return textElement('heading', block.runs, { level: String(block.level) });
        case 'paragraph':
          return textElement('paragraph', block.runs);
        case 'quote': {
          const quote = new Y.XmlElement('blockquote');
          quote.insert(0, elementsOf(block.blocks));
          return quote;
        }
        case 'list': {
          const list = new Y.XmlElement(block.ordered ? 'orderedList' : 'bulletList');
          list.insert(
            0,
            block.items.map((item) => {
              const listItem = new Y.XmlElement('listItem');
              listItem.insert(0, elementsOf(item));
              return listItem;
            }),
          );
          return list;
        }
        case 'table': {
          const table = new Y.XmlElement('table');
          table.insert(
            0,
            block.rows.map((row) => {
              const tableRow = new Y.XmlElement('tableRow');
              tableRow.insert(
                0,
                row.cells.map((cell) => {
                  const tableCell = new Y.XmlElement(row.header ? 'tableHeader' : 'tableCell');
                  tableCell.insert(0, elementsOf(cell.length > 0 ? cell : [{ type: 'paragraph', runs: [] }]));
                  return tableCell;
                }),
              );
              return tableRow;
            }),
          );
          return table;
        }
      }
    });
  fragment.insert(fragment.length, elementsOf(blocks));
}
