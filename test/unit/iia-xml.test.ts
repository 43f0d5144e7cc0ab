/** Writing and reading IIA v7 documents: what an agreement lacks is written as the schema allows and read back as missing. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Agreement, agreementToIia, compareIia, iiaToAgreementPatch, missingForApproval } from '../../shared/src/index.js';
import { iiasGetResponse, readIia } from '../../server/src/agreements/iia-xml.js';
import { childNamed, readXml } from '../../server/src/agreements/xml-tree.js';

const STANDARD = '/work/shared/standards/ewp-iias-v7';
const scratch = mkdtempSync(join(tmpdir(), 'iia-unit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function validates(xml: string): string {
  const file = join(scratch, `${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', `${STANDARD}/iias-get-response.xsd`, file], { env: { ...process.env, XML_CATALOG_FILES: `${STANDARD}/catalog.xml` }, stdio: 'pipe' });
    return '';
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr);
  }
}

const context = { agreementId: 'agr1', settings: { institutionSchac: 'escom.fr' }, partner: { schac: 'up.pt' }, fallbackYear: '2026/2027' };
const readBack = (xml: string) => readIia(childNamed(readXml(xml), 'iia')!);

describe('IIA v7 XML', () => {
  it('writes a condition not agreed yet (no mobilities, no language, no years) as valid XML marked not-yet-defined, and reads it back as missing', () => {
    const sparse = Agreement.parse({ title: 'Draft', conditions: [{ direction: 'outgoing', kind: 'staff_teaching', mobilitiesPerYear: 0, totalPerYear: 0 }] });
    const iia = agreementToIia(sparse, context);
    const xml = iiasGetResponse([iia]);
    expect(validates(xml)).toBe('');
    expect(xml).toContain('<mobilities-per-year not-yet-defined="true">1</mobilities-per-year>');
    expect(xml).toContain('<recommended-language-skill not-yet-defined="true">');
    expect(xml).toContain('<receiving-first-academic-year-id>2026/2027</receiving-first-academic-year-id>');
    expect(readBack(xml)).toEqual(iia);
    expect(missingForApproval(sparse, context).map((item) => item.key)).toEqual([
      'ewp.missing.partnerIiaId',
      'ewp.missing.ourIiaCode',
      'ewp.missing.years',
      'ewp.missing.mobilities',
      'ewp.missing.total',
      'ewp.missing.subjectArea',
      'ewp.missing.languageSkill',
    ]);
  });

  it('writes every field of a complete agreement (units, contacts, skills per subject area, blended, termination) validly, and reads it back unchanged', () => {
    const complete = Agreement.parse({
      title: 'Erasmus+ Porto',
      status: 'active',
      fromYear: '2025/2026',
      toYear: '2028/2029',
      approval: 'approved_by_both',
      terminatedAsAWhole: true,
      ourSide: { iiaCode: 'E+ 2025/01', ounitId: 'ou-chem', signingPerson: { name: 'Anne Martin', email: 'a.martin@escom.fr', phone: '+33344000000', role: 'Director' }, signingDate: '2025-05-02', contacts: [{ name: 'SRI', email: 'sri@escom.fr' }] },
      partnerSide: { iiaId: 'up-77', iiaCode: 'UP/77', signingPerson: { name: 'João Silva', phone: '22 508 1400' }, signingDate: '2025-05-20' },
      conditions: [
        {
          direction: 'both',
          kind: 'student_study',
          ourOunitId: 'ou-chem',
          partnerOunitId: 'feup',
          mobilitiesPerYear: 2,
          totalPerYear: 10.5,
          subjectAreas: [{ iscedF: '0711', clarification: 'Process engineering' }, { iscedF: '0531' }],
          languageSkills: [{ language: 'en', cefr: 'B2' }, { language: 'pt', cefr: 'A2', subjectArea: { iscedF: '0531', clarification: 'Chemistry' } }],
          eqfLevels: [7, 6],
          blended: true,
          otherInfo: 'Learning agreement before March.',
        },
        { direction: 'incoming', kind: 'student_traineeship', firstYear: '2026/2027', lastYear: '2027/2028', mobilitiesPerYear: 1, totalPerYear: 3, subjectAreas: [{ iscedF: '0711' }] },
        { direction: 'outgoing', kind: 'staff_training', mobilitiesPerYear: 1, totalPerYear: 5, subjectAreas: [{ iscedF: '0711' }] },
      ],
    });
    const iia = agreementToIia(complete, context);
    const xml = iiasGetResponse([iia]);
    expect(validates(xml)).toBe('');
    expect(xml).toContain('<cooperation-conditions terminated-as-a-whole="true">');
    expect(xml).toContain('<p:e164>+33344000000</p:e164>');
    expect(xml).toContain('<p:other-format>22 508 1400</p:other-format>');
    const back = readBack(xml);
    expect(back).toEqual(iia);
    expect(compareIia(iia, back).filter((row) => row.differs)).toEqual([]);
    expect(missingForApproval(complete, context)).toEqual([]);

    // The partner serves the same IIA with itself first: their view of us is found by our id, and applying it keeps the terms.
    const theirs = { ...iia, partners: [iia.partners[1], iia.partners[0]] as typeof iia.partners };
    expect(compareIia(iia, theirs).filter((row) => row.differs)).toEqual([]);
    const patch = iiaToAgreementPatch(theirs, { agreementId: 'agr1', heiId: 'escom.fr' });
    expect(patch.conditions.map((condition) => [condition.direction, condition.kind])).toEqual([
      ['outgoing', 'student_study'],
      ['incoming', 'student_study'],
      ['incoming', 'student_traineeship'],
      ['outgoing', 'staff_training'],
    ]);
    expect(patch.partnerSide).toEqual(complete.partnerSide);
    const applied = Agreement.parse({ ...complete, ...patch });
    expect(compareIia(iia, agreementToIia(applied, context)).filter((row) => row.differs)).toEqual([]);
  });
});
