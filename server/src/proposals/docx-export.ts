/**
 * A proposal as a Word document (`docx`): a cover (title, action, template, partners, stage, date),
 * then each section under its template title as a Heading 1, with the text's own headings, bulleted
 * and numbered lists, tables, quotes, bold, italic, underline, strike and links, and the section's
 * character count against its limit.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import { translate, type RichBlock, type TextRun as Run } from '@passerelle/shared';
import type { ExportedSection, ProposalExportContent } from './export-content.js';

const ORDERED = 'ordered-list';
const HEADINGS = { 1: HeadingLevel.HEADING_2, 2: HeadingLevel.HEADING_3, 3: HeadingLevel.HEADING_4, 4: HeadingLevel.HEADING_5 } as const;

/** The runs of a text block as Word runs, links as hyperlinks. */
function runsOf(runs: readonly Run[]): ParagraphChild[] {
  return runs.map((run) => {
    const lines = run.text.split('\n');
    const style = { bold: run.bold, italics: run.italic, underline: run.underline ? {} : undefined, strike: run.strike };
    const text = (extra: object = {}) =>
      lines.map((line, index) => new TextRun({ text: line, break: index > 0 ? 1 : undefined, ...style, ...extra }));
    if (!run.link) return text();
    return new ExternalHyperlink({ link: run.link, children: text({ style: 'Hyperlink' }) });
  }).flat();
}

/** Writes blocks; `lists` counts numbered lists so that each one restarts at 1. */
function blocksOf(blocks: readonly RichBlock[], lists: { count: number }, indent = 0): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'heading':
        out.push(new Paragraph({ heading: HEADINGS[block.level], children: runsOf(block.runs) }));
        break;
      case 'paragraph':
        out.push(new Paragraph({ children: runsOf(block.runs), indent: indent > 0 ? { left: indent } : undefined }));
        break;
      case 'quote':
        out.push(...blocksOf(block.blocks, lists, indent + 567));
        break;
      case 'list': {
        const instance = block.ordered ? lists.count++ : 0;
        const level = Math.min(Math.round(indent / 720), 8);
        for (const item of block.items) {
          item.forEach((inner, index) => {
            if (inner.type === 'list') {
              out.push(...blocksOf([inner], lists, indent + 720));
              return;
            }
            const runs = inner.type === 'paragraph' || inner.type === 'heading' ? inner.runs : [];
            // The item's first paragraph carries the bullet or number; the next ones are indented under it.
            if (index === 0) {
              out.push(
                new Paragraph({
                  children: runsOf(runs),
                  ...(block.ordered ? { numbering: { reference: ORDERED, level, instance } } : { bullet: { level } }),
                }),
              );
            } else if (inner.type === 'paragraph' || inner.type === 'heading') {
              out.push(new Paragraph({ children: runsOf(runs), indent: { left: indent + 720 } }));
            } else out.push(...blocksOf([inner], lists, indent + 720));
          });
        }
        break;
      }
      case 'table': {
        const columns = Math.max(1, ...block.rows.map((row) => row.cells.length));
        out.push(
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: block.rows.map(
              (row) =>
                new TableRow({
                  // Only header rows carry the property: Word reads its presence, whatever its value.
                  tableHeader: row.header || undefined,
                  children: Array.from({ length: columns }, (_, index) => {
                    const cell = row.cells[index] ?? [];
                    const children = blocksOf(cell, lists).filter((child): child is Paragraph => child instanceof Paragraph);
                    return new TableCell({ children: children.length > 0 ? children : [new Paragraph('')] });
                  }),
                }),
            ),
          }),
        );
        break;
      }
    }
  }
  return out;
}

function countLine(section: ExportedSection, language: ProposalExportContent['language']): Paragraph {
  const count = section.characters.toLocaleString(language);
  const text =
    section.charLimit === null
      ? translate(language, 'proposal.export.characters', { count })
      : translate(language, 'proposal.export.charactersOfLimit', { count, limit: section.charLimit.toLocaleString(language) }) +
        (section.characters > section.charLimit ? ` (${translate(language, 'proposal.export.overLimit', { over: (section.characters - section.charLimit).toLocaleString(language) })})` : '');
  return new Paragraph({ children: [new TextRun({ text, size: 18, color: '595959' })], spacing: { after: 120 } });
}

/** The proposal as a .docx file. */
export async function proposalToDocx(content: ProposalExportContent): Promise<Buffer> {
  const { language } = content;
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(language, key, params);
  const lists = { count: 0 };
  // French puts a narrow no-break space before a colon.
  const colon = language === 'fr' ? '\u202f: ' : ': ';
  const coverLine = (label: string, value: string) =>
    new Paragraph({ children: [new TextRun({ text: `${label}${colon}`, bold: true }), new TextRun(value)], spacing: { after: 80 } });

  const cover = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(content.title)] }),
    coverLine(t('proposal.export.action'), content.action),
    ...(content.template ? [coverLine(t('proposal.export.template'), content.template)] : []),
    coverLine(t('proposal.export.partners'), content.partners.length > 0 ? content.partners.join(', ') : t('proposal.export.noPartner')),
    coverLine(t('proposal.export.stage'), content.stage),
    coverLine(t('proposal.export.date'), content.date),
  ];

  const body = content.sections.flatMap((section, index) => [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(section.title)], pageBreakBefore: index === 0 }),
    ...(section.internal
      ? [new Paragraph({ children: [new TextRun({ text: t('proposal.export.internal'), italics: true, color: '9C2B23' })], border: { left: { style: BorderStyle.SINGLE, size: 12, color: '9C2B23', space: 6 } } })]
      : []),
    countLine(section, language),
    ...(section.blocks.length > 0 ? blocksOf(section.blocks, lists) : [new Paragraph({ children: [new TextRun({ text: t('proposal.export.empty'), italics: true, color: '595959' })] })]),
  ]);

  const document = new Document({
    creator: 'Passerelle',
    title: content.title,
    description: content.action,
    styles: { default: { document: { run: { font: 'Calibri', size: 22 } } } },
    numbering: {
      config: [
        {
          reference: ORDERED,
          levels: Array.from({ length: 9 }, (_, level) => ({
            level,
            format: LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.START,
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
          })),
        },
      ],
    },
    sections: [
      {
        properties: {},
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], size: 18 })] })],
          }),
        },
        children: [...cover, ...body],
      },
    ],
  });
  return Packer.toBuffer(document);
}
