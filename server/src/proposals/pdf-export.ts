/**
 * A proposal as a PDF (pdfkit, no browser): the same cover and sections as the Word export, set in
 * DejaVu Sans embedded in the file (its subset), which covers French and the Latin scripts of the
 * partners' names. Headings, paragraphs with bold, italic, underline, strike and links, bulleted and
 * numbered lists, tables as ruled grids, quotes indented; page numbers in the footer.
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { translate, type RichBlock, type TextRun } from '@passerelle/shared';
import type { ExportedSection, ProposalExportContent } from './export-content.js';

const require = createRequire(import.meta.url);
const FONTS = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  italic: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf'),
  boldItalic: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-BoldOblique.ttf'),
};

const TEXT = '#1f2328';
const MUTED = '#595959';
const DANGER = '#9c2b23';
const LINK = '#0b57d0';
const MARGIN = 64;
const BODY_SIZE = 10.5;
const HEADING_SIZES = { 1: 15, 2: 13, 3: 12, 4: 11 } as const;

type Pdf = PDFKit.PDFDocument;

function fontOf(run: Pick<TextRun, 'bold' | 'italic'>): string {
  if (run.bold && run.italic) return 'boldItalic';
  if (run.bold) return 'bold';
  if (run.italic) return 'italic';
  return 'regular';
}

/** Writes runs as one paragraph at the current position, `width` wide from `x`. */
function writeRuns(pdf: Pdf, runs: readonly TextRun[], options: { x: number; width: number; size?: number; base?: Pick<TextRun, 'bold' | 'italic'> }): void {
  const size = options.size ?? BODY_SIZE;
  const parts = runs.filter((run) => run.text !== '');
  if (parts.length === 0) {
    pdf.moveDown(0.4);
    return;
  }
  parts.forEach((run, index) => {
    pdf
      .font(fontOf({ bold: run.bold ?? options.base?.bold, italic: run.italic ?? options.base?.italic }))
      .fontSize(size)
      .fillColor(run.link ? LINK : TEXT);
    const continued = index < parts.length - 1;
    const textOptions: PDFKit.Mixins.TextOptions = { continued, underline: Boolean(run.underline || run.link), strike: Boolean(run.strike), link: run.link ?? null, lineGap: 2 };
    if (index === 0) pdf.text(run.text, options.x, pdf.y, { ...textOptions, width: options.width });
    else pdf.text(run.text, textOptions);
  });
  pdf.fillColor(TEXT);
  pdf.moveDown(0.35);
}

/** The plain text of blocks, for table cells. */
function cellText(blocks: readonly RichBlock[]): string {
  return blocks
    .map((block) => {
      if (block.type === 'heading' || block.type === 'paragraph') return block.runs.map((run) => run.text).join('');
      if (block.type === 'list') return block.items.map((item) => `• ${cellText(item)}`).join('\n');
      if (block.type === 'quote') return cellText(block.blocks);
      return block.rows.map((row) => row.cells.map(cellText).join(' | ')).join('\n');
    })
    .join('\n');
}

function writeTable(pdf: Pdf, block: Extract<RichBlock, { type: 'table' }>, x: number, width: number): void {
  const columns = Math.max(1, ...block.rows.map((row) => row.cells.length));
  const columnWidth = width / columns;
  const padding = 4;
  pdf.fontSize(BODY_SIZE - 1);
  for (const row of block.rows) {
    const texts = Array.from({ length: columns }, (_, index) => cellText(row.cells[index] ?? []));
    pdf.font(row.header ? 'bold' : 'regular');
    const height = Math.max(...texts.map((text) => pdf.heightOfString(text || ' ', { width: columnWidth - 2 * padding }))) + 2 * padding;
    if (pdf.y + height > pdf.page.height - pdf.page.margins.bottom) pdf.addPage();
    const top = pdf.y;
    texts.forEach((text, index) => {
      const left = x + index * columnWidth;
      if (row.header) pdf.rect(left, top, columnWidth, height).fillAndStroke('#eef1f4', '#8c959f');
      else pdf.rect(left, top, columnWidth, height).stroke('#8c959f');
      pdf.fillColor(TEXT).text(text, left + padding, top + padding, { width: columnWidth - 2 * padding });
    });
    pdf.x = x;
    pdf.y = top + height;
  }
  pdf.font('regular').fontSize(BODY_SIZE);
  pdf.moveDown(0.6);
}

function writeBlocks(pdf: Pdf, blocks: readonly RichBlock[], x: number, width: number): void {
  for (const block of blocks) {
    switch (block.type) {
      case 'heading':
        pdf.moveDown(0.3);
        writeRuns(pdf, block.runs, { x, width, size: HEADING_SIZES[block.level] - 1, base: { bold: true } });
        break;
      case 'paragraph':
        writeRuns(pdf, block.runs, { x, width });
        break;
      case 'quote':
        writeBlocks(pdf, block.blocks, x + 18, width - 18);
        break;
      case 'list':
        block.items.forEach((item, index) => {
          const marker = block.ordered ? `${index + 1}.` : '•';
          const top = pdf.y;
          pdf.font('regular').fontSize(BODY_SIZE).fillColor(TEXT).text(marker, x, top, { width: 16, align: 'right' });
          pdf.y = top;
          writeBlocks(pdf, item.length > 0 ? item : [{ type: 'paragraph', runs: [] }], x + 22, width - 22);
        });
        break;
      case 'table':
        writeTable(pdf, block, x, width);
        break;
    }
  }
}

function countLine(section: ExportedSection, language: ProposalExportContent['language']): { text: string; over: boolean } {
  const count = section.characters.toLocaleString(language);
  if (section.charLimit === null) return { text: translate(language, 'proposal.export.characters', { count }), over: false };
  const over = section.characters > section.charLimit;
  const text = translate(language, 'proposal.export.charactersOfLimit', { count, limit: section.charLimit.toLocaleString(language) });
  return { text: over ? `${text} (${translate(language, 'proposal.export.overLimit', { over: (section.characters - section.charLimit).toLocaleString(language) })})` : text, over };
}

/** The proposal as a PDF file. */
export function proposalToPdf(content: ProposalExportContent): Promise<Buffer> {
  const { language } = content;
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(language, key, params);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: language,
    displayTitle: true,
    info: { Title: content.title, Subject: content.action, Creator: 'Passerelle', Producer: 'Passerelle' },
  });
  for (const [name, path] of Object.entries(FONTS)) pdf.registerFont(name, path);
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const x = MARGIN;
  const width = pdf.page.width - 2 * MARGIN;
  const colon = language === 'fr' ? '\u202f: ' : ': ';

  // The cover.
  pdf.font('bold').fontSize(22).fillColor(TEXT).text(content.title, x, MARGIN + 80, { width });
  pdf.moveDown(1.2);
  const coverLine = (label: string, value: string) => {
    pdf.font('bold').fontSize(11).text(`${label}${colon}`, x, pdf.y, { continued: true, width });
    pdf.font('regular').text(value);
    pdf.moveDown(0.4);
  };
  coverLine(t('proposal.export.action'), content.action);
  if (content.template) coverLine(t('proposal.export.template'), content.template);
  coverLine(t('proposal.export.partners'), content.partners.length > 0 ? content.partners.join(', ') : t('proposal.export.noPartner'));
  coverLine(t('proposal.export.stage'), content.stage);
  coverLine(t('proposal.export.date'), content.date);

  // The sections.
  for (const section of content.sections) {
    if (section === content.sections[0]) pdf.addPage();
    else if (pdf.y > pdf.page.height - MARGIN - 120) pdf.addPage();
    else pdf.moveDown(1);
    pdf.font('bold').fontSize(HEADING_SIZES[1]).fillColor(TEXT).text(section.title, x, pdf.y, { width });
    pdf.moveDown(0.2);
    if (section.internal) {
      pdf.font('italic').fontSize(9.5).fillColor(DANGER).text(t('proposal.export.internal'), x, pdf.y, { width });
      pdf.moveDown(0.2);
    }
    const count = countLine(section, language);
    pdf.font('regular').fontSize(9).fillColor(count.over ? DANGER : MUTED).text(count.text, x, pdf.y, { width });
    pdf.fillColor(TEXT).moveDown(0.6);
    if (section.blocks.length > 0) writeBlocks(pdf, section.blocks, x, width);
    else pdf.font('italic').fontSize(BODY_SIZE).fillColor(MUTED).text(t('proposal.export.empty'), x, pdf.y, { width }).fillColor(TEXT);
  }

  // Page numbers, once every page exists.
  const range = pdf.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    pdf.switchToPage(index);
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf.font('regular').fontSize(8.5).fillColor(MUTED).text(t('proposal.export.page', { page: index + 1 }), x, pdf.page.height - MARGIN / 2, { width, align: 'center' });
    pdf.page.margins.bottom = bottom;
  }
  pdf.end();
  return done;
}
