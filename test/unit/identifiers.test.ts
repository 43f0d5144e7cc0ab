/**
 * The identifier formats the SRI records for partners and agreements: each normalises what people
 * type, accepts the real formats and refuses others with a catalog key that forms translate.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  AcademicYear,
  academicYearOf,
  catalogs,
  CountryCode,
  EqfLevel,
  ErasmusCode,
  IscedF,
  IsoDate,
  LanguageCode,
  OrganisationId,
  Pic,
  SchacCode,
} from '../../shared/src/index.js';

interface FormatCase {
  name: string;
  schema: z.ZodType;
  /** The catalog key every refusal carries. */
  message: string;
  /** Input → normalised value. */
  valid: [unknown, unknown][];
  invalid: unknown[];
}

const FORMATS: FormatCase[] = [
  {
    name: 'ErasmusCode',
    schema: ErasmusCode,
    message: 'validation.erasmusCode',
    valid: [
      ['F  AMIENS07', 'F  AMIENS07'],
      ['f  amiens07', 'F  AMIENS07'],
      ['  D  BERLIN01 ', 'D  BERLIN01'],
      ['E  MADRID014', 'E  MADRID014'],
      ['SF HELSINK01', 'SF HELSINK01'],
      ['F  CERGY-P07', 'F  CERGY-P07'],
    ],
    invalid: ['AMIENS07', 'F  AMIENS7', 'F  AMIENS0712', 'F  07', 'FRAN AMIENS07', 'F  AMIENS 07', ''],
  },
  {
    name: 'Pic',
    schema: Pic,
    message: 'validation.pic',
    valid: [
      ['999884244', '999884244'],
      [' 949613217 ', '949613217'],
    ],
    invalid: ['99988424', '9998842441', '99988424a', '999 884 244', ''],
  },
  {
    name: 'SchacCode',
    schema: SchacCode,
    message: 'validation.schac',
    valid: [
      ['escom.fr', 'escom.fr'],
      ['ESCOM.FR', 'escom.fr'],
      ['kuleuven.be', 'kuleuven.be'],
      ['utc-compiegne.fr', 'utc-compiegne.fr'],
      ['chem.uni-goettingen.de', 'chem.uni-goettingen.de'],
    ],
    invalid: ['escom', 'escom.', '.fr', '-escom.fr', 'escom-.fr', 'esc om.fr', 'escom.f', 'a.b', ''],
  },
  {
    name: 'OrganisationId',
    schema: OrganisationId,
    message: 'validation.oid',
    valid: [
      ['E10208527', 'E10208527'],
      ['e10208527', 'E10208527'],
    ],
    invalid: ['10208527', 'E1020852', 'E102085271', 'X10208527', 'E1020852A', ''],
  },
  {
    name: 'IscedF',
    schema: IscedF,
    message: 'validation.iscedF',
    valid: [
      ['0531', '0531'],
      ['0711', '0711'],
    ],
    invalid: ['531', '05310', '05a1', '053', ''],
  },
  {
    name: 'EqfLevel',
    schema: EqfLevel,
    message: 'validation.eqf',
    valid: [1, 6, 7, 8].map((level) => [level, level]),
    invalid: [0, 9, -1, 6.5, Number.NaN, '7'],
  },
  {
    name: 'CountryCode',
    schema: CountryCode,
    message: 'validation.country',
    valid: [
      ['FR', 'FR'],
      ['cm', 'CM'],
    ],
    invalid: ['FRA', 'F', 'F1', ''],
  },
  {
    name: 'LanguageCode',
    schema: LanguageCode,
    message: 'validation.language',
    valid: [
      ['fr', 'fr'],
      ['EN', 'en'],
    ],
    invalid: ['fra', 'f', 'e1', ''],
  },
  {
    name: 'AcademicYear',
    schema: AcademicYear,
    message: 'validation.academicYear',
    valid: [
      ['2025/2026', '2025/2026'],
      [' 1999/2000 ', '1999/2000'],
    ],
    invalid: ['2025/2027', '2025/2025', '2026/2025', '2025-2026', '2025/26', '25/26', ''],
  },
  {
    name: 'IsoDate',
    schema: IsoDate,
    message: 'validation.date',
    valid: [
      ['2026-02-28', '2026-02-28'],
      ['2024-02-29', '2024-02-29'],
      ['2025-12-31', '2025-12-31'],
    ],
    invalid: ['2026-02-30', '2025-02-29', '2026-13-01', '2026-04-31', '2026-00-10', '2026-2-3', '03/02/2026', '2026-02-03T10:00', ''],
  },
];

describe.each(FORMATS)('$name', ({ schema, message, valid, invalid }) => {
  it.each(valid)('accepts %j as %j', (input, normalised) => {
    expect(schema.parse(input)).toBe(normalised);
  });

  it.each(invalid)(`refuses %j with ${message}`, (input) => {
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toContain(message);
    // Every issue, not only the first, must be one a form can translate.
    for (const issue of result.error?.issues ?? []) expect(issue.message).toBe(message);
  });

  it(`refuses with a key that exists in the English and French catalogs`, () => {
    expect(catalogs.en).toHaveProperty([message]);
    expect(catalogs.fr).toHaveProperty([message]);
    expect((catalogs.fr as Record<string, string>)[message]).not.toBe('');
  });
});

describe('academicYearOf', () => {
  it('puts September in the academic year that starts that autumn', () => {
    expect(academicYearOf(new Date('2025-09-01T00:00:00Z'))).toBe('2025/2026');
    expect(academicYearOf(new Date('2025-12-31T23:59:59Z'))).toBe('2025/2026');
  });

  it('puts August in the academic year that started the previous autumn', () => {
    expect(academicYearOf(new Date('2026-08-31T23:59:59Z'))).toBe('2025/2026');
    expect(academicYearOf(new Date('2026-01-01T00:00:00Z'))).toBe('2025/2026');
  });

  it('gives a year the AcademicYear format accepts', () => {
    for (const date of ['2000-01-15', '2025-08-31', '2025-09-01', '2099-10-10']) {
      expect(AcademicYear.safeParse(academicYearOf(new Date(`${date}T12:00:00Z`))).success, date).toBe(true);
    }
  });
});
