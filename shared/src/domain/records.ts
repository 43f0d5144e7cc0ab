/**
 * The record types of the SRI's planning, each a zod schema. A record is stored in a Yjs map of
 * fields (so two people editing different fields of the same partner both keep their change);
 * list-valued fields are replaced as a whole. Reading goes through `safeParse` with defaults, so a
 * record written by an older or newer client still reads.
 */
import { z } from 'zod';
import { Locale } from '../api.js';
import { AgreementApproval, AgreementSide, CooperationCondition } from './agreement-terms.js';
import { DoubleDegreePlan } from './double-degree.js';
import { AcademicYear, CountryCode, ErasmusCode, IsoDate, OrganisationId, Pic, SchacCode } from './identifiers.js';
import { Slug } from '../proposals/template.js';
import {
  ActionSource,
  ActionType,
  AgreementStatus,
  AgreementType,
  Department,
  MobilityDirection,
  MobilityPopulation,
  MobilityPurpose,
  PartnerKind,
  PolicyObjective,
  Priority,
  ProposalStage,
  RoadmapHorizon,
  StudyCycle,
  WorldRegion,
} from './vocabulary.js';

const name = z.string().trim().min(1, 'validation.required').max(200);
const optionalText = z.string().trim().max(2000).default('');
const optional = <T extends z.ZodType>(schema: T) => schema.nullable().default(null);
/**
 * The policy statement's objectives a record advances. An unreadable list (a value a newer version
 * wrote, or a damaged one) reads as none rather than hiding the whole record.
 */
const policyObjectives = z.array(PolicyObjective).max(20).default([]).catch([]);

/** A contact person at a partner. */
export const PartnerContact = z.object({
  name: name,
  role: z.string().trim().max(120).default(''),
  email: z.union([z.literal(''), z.email('validation.email')]).default(''),
});
export type PartnerContact = z.infer<typeof PartnerContact>;

/** A partner university, research lab or company. */
export const Partner = z.object({
  name,
  /** The partner's name in its own language, when different. */
  localName: z.string().trim().max(200).default(''),
  kind: PartnerKind.default('university'),
  country: optional(CountryCode),
  region: WorldRegion.default('other'),
  city: z.string().trim().max(120).default(''),
  specialties: z.array(z.string().trim().min(1).max(80)).max(30).default([]),
  erasmusCode: optional(ErasmusCode),
  pic: optional(Pic),
  schac: optional(SchacCode),
  oid: optional(OrganisationId),
  contacts: z.array(PartnerContact).max(30).default([]),
  notes: optionalText,
});
export type Partner = z.infer<typeof Partner>;

export { AgreementApproval, AgreementContact, AgreementSide, CooperationCondition, LanguageSkill, SubjectArea } from './agreement-terms.js';

/** An agreement with a partner. */
export const Agreement = z
  .object({
    title: name,
    type: AgreementType.default('inter_institutional_mobility'),
    partnerId: optional(z.string()),
    status: AgreementStatus.default('draft'),
    /** First and last academic year covered, e.g. `2025/2026` to `2027/2028`. */
    fromYear: optional(AcademicYear),
    toYear: optional(AcademicYear),
    conditions: z.array(CooperationCondition).max(50).default([]),
    /** Only for double degrees. */
    doubleDegreePlan: optional(DoubleDegreePlan),
    notes: optionalText,
    /** Our side: how we number the agreement, our unit, who signs for us and when, our contacts (our institution's identifiers are the workspace settings'). */
    ourSide: AgreementSide.prefault({}),
    /** The partner's side: its own id and number of the agreement, its unit, signatory and contacts. */
    partnerSide: AgreementSide.prefault({}),
    approval: AgreementApproval.default('none'),
    /** Mutually approved, then ended by both before any mobility took place (EWP `terminated-as-a-whole`). */
    terminatedAsAWhole: z.boolean().default(false),
  })
  .refine((a) => !a.fromYear || !a.toYear || a.fromYear <= a.toYear, { message: 'validation.yearOrder', path: ['toYear'] });
export type Agreement = z.infer<typeof Agreement>;

/** A mobility flow: how many people of a population move, for a purpose, in an academic year. */
export const MobilityFlow = z.object({
  direction: MobilityDirection.default('outgoing'),
  population: MobilityPopulation.default('student'),
  purpose: MobilityPurpose.default('study'),
  cycle: optional(StudyCycle),
  /** Year of study within the programme (1 to 5), when it matters. */
  studyYear: optional(z.number().int().min(1).max(8)),
  academicYear: AcademicYear,
  partnerId: optional(z.string()),
  planned: z.number().int().min(0).max(100_000).default(0),
  realised: optional(z.number().int().min(0).max(100_000)),
  notes: optionalText,
  /** The department that owns the figure and edits it; null for the school's own (see `workspace/permissions.ts`). */
  department: optional(Department).catch(null),
});
export type MobilityFlow = z.infer<typeof MobilityFlow>;

/** A target for an academic year, for one kind of flow. */
export const MobilityTarget = z.object({
  academicYear: AcademicYear,
  direction: MobilityDirection.default('outgoing'),
  population: MobilityPopulation.default('student'),
  purpose: MobilityPurpose.default('study'),
  target: z.number().int().min(0).max(100_000),
  /** The department that owns the target and edits it; null for the school's own (see `workspace/permissions.ts`). */
  department: optional(Department).catch(null),
});
export type MobilityTarget = z.infer<typeof MobilityTarget>;

/** An item of a partnership roadmap. */
export const RoadmapItem = z
  .object({
    title: name,
    horizon: RoadmapHorizon.default('short'),
    phase: z.string().trim().max(120).default(''),
    startDate: optional(IsoDate),
    endDate: optional(IsoDate),
    /** Roadmap items that must be done first. */
    dependsOn: z.array(z.string()).max(50).default([]),
    /** Proposal cards this item advances. */
    proposalIds: z.array(z.string()).max(50).default([]),
    /** Objectives of the policy statement the item itself advances (besides those of its proposals). */
    policyObjectives,
    notes: optionalText,
  })
  .refine((r) => !r.startDate || !r.endDate || r.startDate <= r.endDate, { message: 'validation.dateOrder', path: ['endDate'] });
export type RoadmapItem = z.infer<typeof RoadmapItem>;

/** Something someone must do, with where it came from. */
export const ActionItem = z.object({
  title: name,
  ownerId: optional(z.string()),
  ownerName: z.string().trim().max(120).default(''),
  department: optional(Department),
  dueDate: optional(IsoDate),
  done: z.boolean().default(false),
  source: ActionSource.default('manual'),
  /** The proposal, roadmap item or meeting it came from. */
  sourceId: optional(z.string()),
  sourceLabel: z.string().trim().max(200).default(''),
  /** Objectives of the policy statement the action itself advances (besides those of where it came from). */
  policyObjectives,
});
export type ActionItem = z.infer<typeof ActionItem>;

/** The structured fields of a proposal card (its texts are collaborative Y.Texts, see `BoardDoc`). */
export const ProposalFields = z
  .object({
    actionType: ActionType.default('strategic_partnership'),
    stage: ProposalStage.default('submitted'),
    leadDepartment: Department.default('sri'),
    contributors: z.array(Department).max(6).default([]),
    partnerIds: z.array(z.string()).max(50).default([]),
    /** The workspace's agreements this proposal led to (`Agreement` ids). */
    agreementIds: z.array(z.string()).max(20).default([]),
    priorities: z.array(Priority).max(5).default([]),
    /**
     * Objectives of the policy statement it advances (named apart from the `objectives` text
     * section). An objective's priority is advanced too, whether or not `priorities` lists it.
     */
    policyObjectives,
    region: optional(WorldRegion),
    startDate: optional(IsoDate),
    endDate: optional(IsoDate),
    selectsStudents: z.boolean().default(false),
    /** The template its sections are created from (shipped or the workspace's); null for its action type's usual one. */
    templateId: optional(Slug),
  })
  .refine((p) => !p.startDate || !p.endDate || p.startDate <= p.endDate, { message: 'validation.dateOrder', path: ['endDate'] });
export type ProposalFields = z.infer<typeof ProposalFields>;

/**
 * The fields of a proposal that are internal to the school: they live in the board's internal
 * document (`InternalDoc`), which partner guests never load, never in the shared `ProposalFields`.
 */
export const InternalProposalFields = z.object({
  /** Estimated budget, in euros. */
  budgetEstimate: optional(z.number().min(0).max(1e9)),
});
export type InternalProposalFields = z.infer<typeof InternalProposalFields>;

/** Workspace settings the SRI can change. */
export const WorkspaceSettings = z.object({
  /** CTI rule: minimum semesters in France in a double degree. */
  minSemestersInFrance: z.number().int().min(0).max(12).default(3),
  /**
   * The language the workspace writes its boards in, whoever's screen shows them: what the server
   * writes onto a board by itself (a meeting's "Decisions" column, "Meeting of …") is in it. French
   * by default, the school's own language.
   */
  contentLanguage: Locale.catch('fr').default('fr'),
  /** Our institution as the EWP network knows it: its name, SCHAC code (the `hei-id` of every IIA) and Erasmus code. */
  institutionName: z.string().trim().max(200).catch('').default(''),
  institutionSchac: SchacCode.nullable().default(null),
  institutionErasmusCode: ErasmusCode.nullable().default(null),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;
