/**
 * The terms of an inter-institutional agreement as the EWP Inter-Institutional Agreements API
 * version 7 defines them: each side's identifiers, contacts and signature, and cooperation
 * conditions per direction and kind, with subject areas, language skills, EQF levels, years and
 * the mobilities and months (students) or days (staff) per year.
 */
import { z } from 'zod';
import { AcademicYear, EqfLevel, IscedF, IsoDate, LanguageCode } from './identifiers.js';
import { CefrLevel, CooperationDirection, CooperationKind } from './vocabulary.js';

const optional = <T extends z.ZodType>(schema: T) => schema.nullable().default(null);

/**
 * An organisational unit's identifier as the institution that owns it assigned it (EWP
 * `AsciiPrintableIdentifier`): 1 to 64 printable ASCII characters, no space.
 */
export const OunitId = z.string().trim().regex(/^[!-~]{1,64}$/, 'validation.ounitId');

/** The partner's own identifier of the agreement (EWP `iia-id`), same format as `OunitId`. */
export const IiaId = z.string().trim().regex(/^[!-~]{1,64}$/, 'validation.iiaId');

/** A person named in an agreement: a signatory or a contact. */
export const AgreementContact = z.object({
  name: z.string().trim().min(1, 'validation.required').max(200),
  email: z.union([z.literal(''), z.email('validation.email')]).default(''),
  phone: z.string().trim().max(40).default(''),
  /** Their role for this agreement, e.g. "Institutional coordinator". */
  role: z.string().trim().max(200).default(''),
});
export type AgreementContact = z.infer<typeof AgreementContact>;

/** One side of an agreement: how that institution identifies it, who signs it and whom to contact. */
export const AgreementSide = z.object({
  /** The institution's own id of this agreement; ours is the record's id, so it is kept for the partner only. */
  iiaId: optional(IiaId),
  /** The human-readable agreement number the institution uses. */
  iiaCode: z.string().trim().max(100).default(''),
  /** The organisational unit that is the actual party, when the agreement is signed by a faculty or department. */
  ounitId: optional(OunitId),
  signingPerson: optional(AgreementContact),
  signingDate: optional(IsoDate),
  contacts: z.array(AgreementContact).max(20).default([]),
});
export type AgreementSide = z.infer<typeof AgreementSide>;

/** A subject area: a 4-digit ISCED-F 2013 field and what it covers here. */
export const SubjectArea = z.object({
  iscedF: IscedF,
  clarification: z.string().trim().max(500).default(''),
});
export type SubjectArea = z.infer<typeof SubjectArea>;

/** A recommended language skill, for the whole condition or for one of its subject areas. */
export const LanguageSkill = z.object({
  language: LanguageCode,
  cefr: optional(CefrLevel),
  subjectArea: optional(SubjectArea),
});
export type LanguageSkill = z.infer<typeof LanguageSkill>;

/** Students move for months, staff for days (as in EWP: `total-months-per-year`, `total-days-per-year`). */
export function durationUnitOf(kind: CooperationKind): 'months' | 'days' {
  return kind === 'student_study' || kind === 'student_traineeship' ? 'months' : 'days';
}

/** Whether a kind of mobility has EQF levels and the blended flag (student kinds only, in EWP). */
export function isStudentKind(kind: CooperationKind): boolean {
  return durationUnitOf(kind) === 'months';
}

/** A total per year with at most 2 decimals, as EWP's decimal type allows. */
const totalPerYear = z
  .number()
  .min(0)
  .max(100_000)
  .transform((value) => Math.round(value * 100) / 100);

/**
 * Rewrites a condition written before the EWP v7 terms (one ISCED-F field, one language and level,
 * a duration per mobility in a unit of its own) into the current shape, so that a record written by
 * an older client still reads. Anything already in the current shape is left as it is.
 */
export function upgradeLegacyCondition(input: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const legacy = input as Record<string, unknown>;
  if (!('iscedF' in legacy || 'language' in legacy || 'cefr' in legacy || 'duration' in legacy || 'durationUnit' in legacy)) return input;
  const { iscedF, language, cefr, duration, durationUnit, ...rest } = legacy;
  const current: Record<string, unknown> = { ...rest };
  const kind = CooperationKind.safeParse(rest.kind ?? 'student_study');
  if (current.subjectAreas === undefined) current.subjectAreas = typeof iscedF === 'string' && iscedF ? [{ iscedF, clarification: '' }] : [];
  if (current.languageSkills === undefined) {
    current.languageSkills = typeof language === 'string' && language ? [{ language, cefr: typeof cefr === 'string' ? cefr : null, subjectArea: null }] : [];
  }
  if (current.totalPerYear === undefined && typeof duration === 'number' && kind.success) {
    // The old figure was per mobility; EWP counts the total for the year, in the kind's own unit.
    const mobilities = typeof rest.mobilitiesPerYear === 'number' ? rest.mobilitiesPerYear : 1;
    const from = durationUnit === 'days' ? 'days' : 'months';
    const to = durationUnitOf(kind.data);
    const perMobility = from === to ? duration : to === 'days' ? duration * 30 : duration / 30;
    current.totalPerYear = Math.round(perMobility * mobilities * 100) / 100;
  }
  return current;
}

/**
 * One cooperation condition: people of one kind moving in one direction (`both` stands for the two
 * unidirectional conditions EWP writes, with the same terms). Years left empty are the agreement's.
 */
export const CooperationCondition = z.preprocess(
  upgradeLegacyCondition,
  z.object({
    direction: CooperationDirection.default('both'),
    kind: CooperationKind.default('student_study'),
    /** Our organisational unit that sends or receives (EWP `sending-ounit-id` or `receiving-ounit-id`). */
    ourOunitId: optional(OunitId),
    /** The partner's organisational unit, as the partner identifies it. */
    partnerOunitId: optional(OunitId),
    firstYear: optional(AcademicYear),
    lastYear: optional(AcademicYear),
    /** Mobilities per academic year; 0 while not agreed yet. */
    mobilitiesPerYear: z.number().int().min(0).max(1000).default(1),
    /** Total months (student kinds) or days (staff kinds) per academic year, for all its mobilities; 0 while not agreed yet. */
    totalPerYear: totalPerYear.default(5),
    subjectAreas: z.array(SubjectArea).max(20).default([]),
    languageSkills: z.array(LanguageSkill).max(20).default([]),
    eqfLevels: z.array(EqfLevel).max(8).default([]),
    /** Student kinds: whether the mobility is blended (physical and virtual). */
    blended: z.boolean().default(false),
    otherInfo: z.string().trim().max(2000).default(''),
  }),
);
export type CooperationCondition = z.infer<typeof CooperationCondition>;

/**
 * Where the agreement stands in the EWP approval exchange: each institution approves the other's
 * version of the cooperation conditions (identified by its hash).
 */
export const AgreementApproval = z.enum(['none', 'approved_by_us', 'approved_by_partner', 'approved_by_both']);
export type AgreementApproval = z.infer<typeof AgreementApproval>;
