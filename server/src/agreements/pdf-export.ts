/**
 * An agreement as a PDF in the layout of the European Commission's Erasmus+ inter-institutional
 * agreement template, in French or English: the institutions (name, Erasmus code, unit, contacts),
 * the mobility numbers per academic year (from, to, subject area, duration, EQF level, numbers),
 * the recommended language skills, other terms, and the signatures. Set with pdfkit in DejaVu Sans,
 * as the proposals' PDF export.
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { durationUnitOf, translate, type AgreementContact, type Iia, type IiaMobility, type Locale, type MessageKey } from '@passerelle/shared';

const require = createRequire(import.meta.url);
const FONTS = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};
const TEXT = '#1f2328';
const RULE = '#8c959f';
const HEADER_FILL = '#e8eef7';
const MARGIN = 48;
const SIZE = 8.5;

/** One institution as the template names it. */
export interface PdfInstitution {
  name: string;
  erasmusCode: string | null;
  heiId: string;
  /** `ounit-id` of the unit that is the party, if any. */
  unit: string | null;
  contacts: AgreementContact[];
  signing: AgreementContact | null;
  signingDate: string | null;
}

export interface AgreementPdfContent {
  language: Locale;
  title: string;
  fromYear: string | null;
  toYear: string | null;
  ours: PdfInstitution;
  partner: PdfInstitution;
  iia: Iia;
}

type Pdf = PDFKit.PDFDocument;

/** A ruled table: a header row, then rows; each cell's text wraps within its column. */
function table(pdf: Pdf, widths: number[], header: string[], rows: string[][]): void {
  const padding = 3;
  const x = MARGIN;
  for (const [index, cells] of [header, ...rows].entries()) {
    const bold = index === 0;
    pdf.font(bold ? 'bold' : 'regular').fontSize(SIZE);
    const height = Math.max(...cells.map((text, column) => pdf.heightOfString(text || ' ', { width: widths[column]! - 2 * padding }))) + 2 * padding;
    if (pdf.y + height > pdf.page.height - MARGIN) pdf.addPage();
    const top = pdf.y;
    let left = x;
    cells.forEach((text, column) => {
      const width = widths[column]!;
      if (bold) pdf.rect(left, top, width, height).fillAndStroke(HEADER_FILL, RULE);
      else pdf.rect(left, top, width, height).stroke(RULE);
      pdf.fillColor(TEXT).text(text, left + padding, top + padding, { width: width - 2 * padding });
      left += width;
    });
    pdf.x = x;
    pdf.y = top + height;
  }
  pdf.moveDown(0.8);
}

const contactLine = (contact: AgreementContact) => [contact.name, contact.role, contact.email, contact.phone].filter(Boolean).join(', ');

/** The agreement as a PDF file in the EC inter-institutional agreement layout. */
export function agreementToPdf(content: AgreementPdfContent): Promise<Buffer> {
  const { language, iia } = content;
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(language, key, params);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    lang: language,
    displayTitle: true,
    info: { Title: content.title, Creator: 'Passerelle', Producer: 'Passerelle' },
  });
  for (const [name, path] of Object.entries(FONTS)) pdf.registerFont(name, path);
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const width = pdf.page.width - 2 * MARGIN;
  const heading = (key: MessageKey) => {
    if (pdf.y > pdf.page.height - MARGIN - 80) pdf.addPage();
    pdf.font('bold').fontSize(11).fillColor(TEXT).text(t(key), MARGIN, pdf.y, { width });
    pdf.moveDown(0.4);
  };
  const none = '—';
  const years = content.fromYear && content.toYear ? `${content.fromYear} – ${content.toYear}` : none;

  pdf.font('bold').fontSize(16).fillColor(TEXT).text(t('ewp.pdf.title'), MARGIN, MARGIN, { width, align: 'center' });
  pdf.font('regular').fontSize(10).text(t('ewp.pdf.years', { years }), { width, align: 'center' });
  pdf.moveDown(0.3);
  pdf.fontSize(10).text(content.title, { width, align: 'center' });
  pdf.moveDown(0.3);
  pdf.fontSize(SIZE).text(t('ewp.pdf.intro'), { width });
  pdf.moveDown(0.8);

  heading('ewp.pdf.institutions');
  const institutionRow = (institution: PdfInstitution) => [
    institution.name,
    [institution.erasmusCode, institution.heiId].filter(Boolean).join('\n') || none,
    institution.unit ?? none,
    institution.contacts.map(contactLine).join('\n') || none,
  ];
  table(pdf, [0.3, 0.2, 0.15, 0.35].map((share) => share * width), [t('ewp.pdf.institution'), t('ewp.pdf.codes'), t('ewp.pdf.unit'), t('ewp.pdf.contacts')], [
    institutionRow(content.ours),
    institutionRow(content.partner),
  ]);

  const nameOf = (heiId: string) => (heiId === content.iia.partners[0].heiId ? content.ours : content.partner);
  const codeOf = (heiId: string) => {
    const institution = nameOf(heiId);
    return institution.erasmusCode ?? (institution.heiId || institution.name);
  };
  heading('ewp.pdf.mobilities');
  const mobilityRow = (mobility: IiaMobility) => [
    `${codeOf(mobility.sendingHeiId)}\n→ ${codeOf(mobility.receivingHeiId)}`,
    mobility.subjectAreas.map((area) => (area.clarification ? `${area.iscedF} ${area.clarification}` : area.iscedF)).join('\n') || none,
    `${mobility.firstYear} – ${mobility.lastYear}`,
    t(`cooperationKind.${mobility.kind}`),
    mobility.mobilitiesPerYear === null ? none : String(mobility.mobilitiesPerYear),
    mobility.totalPerYear === null ? none : t(durationUnitOf(mobility.kind) === 'months' ? 'ewp.pdf.months' : 'ewp.pdf.days', { count: mobility.totalPerYear.toLocaleString(language) }),
    mobility.eqfLevels.join(', ') || none,
  ];
  table(
    pdf,
    [0.16, 0.19, 0.15, 0.16, 0.11, 0.12, 0.11].map((share) => share * width),
    [t('ewp.pdf.fromTo'), t('ewp.pdf.subjectArea'), t('ewp.pdf.academicYears'), t('ewp.pdf.kind'), t('ewp.pdf.perYear'), t('ewp.pdf.total'), t('ewp.pdf.eqf')],
    iia.mobilities.length > 0 ? iia.mobilities.map(mobilityRow) : [[none, none, none, none, none, none, none]],
  );

  heading('ewp.pdf.languages');
  const skillRows = iia.mobilities.flatMap((mobility) =>
    mobility.languageSkills.map((skill) => [
      nameOf(mobility.receivingHeiId).name,
      t(`cooperationKind.${mobility.kind}`),
      skill.subjectArea ? skill.subjectArea.iscedF : t('ewp.pdf.allAreas'),
      skill.language.toUpperCase(),
      skill.cefr ?? none,
    ]),
  );
  table(pdf, [0.3, 0.2, 0.2, 0.15, 0.15].map((share) => share * width), [t('ewp.pdf.receiving'), t('ewp.pdf.kind'), t('ewp.pdf.subjectArea'), t('ewp.pdf.language'), t('ewp.pdf.cefr')], skillRows.length > 0 ? skillRows : [[none, none, none, none, none]]);

  const otherTerms = [...new Set(iia.mobilities.map((mobility) => mobility.otherInfo).filter(Boolean))];
  if (otherTerms.length > 0) {
    heading('ewp.pdf.additional');
    pdf.font('regular').fontSize(SIZE).text(otherTerms.join('\n\n'), MARGIN, pdf.y, { width });
    pdf.moveDown(0.8);
  }

  heading('ewp.pdf.signatures');
  const signatureRow = (institution: PdfInstitution) => [
    `${institution.name}${institution.erasmusCode ? `\n${institution.erasmusCode}` : ''}`,
    institution.signing?.name ?? '',
    institution.signing?.role ?? '',
    institution.signingDate ?? '',
    '\n\n\n',
  ];
  table(pdf, [0.28, 0.2, 0.18, 0.14, 0.2].map((share) => share * width), [t('ewp.pdf.institution'), t('ewp.pdf.name'), t('ewp.pdf.function'), t('ewp.pdf.date'), t('ewp.pdf.signature')], [
    signatureRow(content.ours),
    signatureRow(content.partner),
  ]);
  if (iia.terminatedAsAWhole) pdf.font('bold').fontSize(SIZE).text(t('ewp.terminatedAsAWhole'), MARGIN, pdf.y, { width });

  pdf.end();
  return done;
}
