/**
 * The words of the SRI's domain, as closed lists. Each list is a zod enum so that the same
 * definition validates documents, API bodies and forms; labels live in the i18n catalogs under
 * `<list>.<value>` (for example `department.research`).
 */
import { z } from 'zod';

/** The school's services that plan international work together. */
export const Department = z.enum(['sri', 'studies', 'specialty_teachers', 'admissions', 'research', 'company_relations']);
export type Department = z.infer<typeof Department>;
export const DEPARTMENTS = Department.options;

/** Kinds of project a proposal can be (from the policy statement's cooperation tracks). */
export const ActionType = z.enum([
  'strategic_partnership',
  'knowledge_alliance',
  'capacity_building',
  'double_degree',
  'mobility_agreement',
  'intensive_programme',
]);
export type ActionType = z.infer<typeof ActionType>;
export const ACTION_TYPES = ActionType.options;

/**
 * The workflow of a proposal, in order (the seed's "organisation and implementation"): submitted to
 * and reviewed by the SRI, framed with the departments, framed with the partners in meetings and
 * regular exchanges, agreement signed and followed up by the SRI, implemented by the services
 * concerned, closed.
 */
export const ProposalStage = z.enum([
  'submitted',
  'sri_review',
  'departmental_framing',
  'partner_framing',
  'agreement_signed',
  'implementation',
  'closed',
]);
export type ProposalStage = z.infer<typeof ProposalStage>;
export const PROPOSAL_STAGES = ProposalStage.options;

/** World regions the SRI plans by (the seed names the EU, North America, Latin America, South-East Asia, Africa, North Africa). */
export const WorldRegion = z.enum(['eu', 'north_america', 'latin_america', 'south_east_asia', 'africa', 'north_africa', 'other']);
export type WorldRegion = z.infer<typeof WorldRegion>;
export const WORLD_REGIONS = WorldRegion.options;

/** The policy statement's modernisation priorities, numbered 1 to 5. */
export const Priority = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);
export type Priority = z.infer<typeof Priority>;
export const PRIORITIES: readonly Priority[] = [1, 2, 3, 4, 5];
/** How many objectives each priority lists in the policy statement (catalog keys `priority.<n>.objective.<i>`). */
export const PRIORITY_OBJECTIVE_COUNT: Record<Priority, number> = { 1: 4, 2: 3, 3: 3, 4: 4, 5: 1 };

/**
 * One objective of the policy statement, written `<priority>.<objective>` (for example `3.1`,
 * "increase study mobility"); its label is the catalog key `priority.<n>.objective.<i>`.
 */
export const PolicyObjective = z
  .string()
  .regex(/^[1-5]\.[1-9]$/, 'validation.invalid')
  .refine((id) => Number(id.slice(2)) <= PRIORITY_OBJECTIVE_COUNT[Number(id[0]) as Priority], 'validation.invalid');
export type PolicyObjective = z.infer<typeof PolicyObjective>;
/** Every objective of the policy statement, priority by priority, in the statement's order. */
export const POLICY_OBJECTIVES: readonly PolicyObjective[] = PRIORITIES.flatMap((priority) =>
  Array.from({ length: PRIORITY_OBJECTIVE_COUNT[priority] }, (_, index) => `${priority}.${index + 1}`),
);
/** The priority an objective belongs to. */
export const priorityOf = (objective: PolicyObjective): Priority => Number(objective[0]) as Priority;
/** The catalog key of an objective's wording. */
export const objectiveMessageKey = (objective: PolicyObjective) => `priority.${objective[0]}.objective.${objective.slice(2)}` as const;

export const PartnerKind = z.enum(['university', 'research_lab', 'company', 'other']);
export type PartnerKind = z.infer<typeof PartnerKind>;

export const AgreementType = z.enum(['inter_institutional_mobility', 'double_degree', 'cooperation', 'company_alliance']);
export type AgreementType = z.infer<typeof AgreementType>;

export const AgreementStatus = z.enum(['draft', 'negotiation', 'signed', 'active', 'expired', 'terminated']);
export type AgreementStatus = z.infer<typeof AgreementStatus>;

/** Direction of a mobility as seen from the school. */
export const MobilityDirection = z.enum(['incoming', 'outgoing']);
export type MobilityDirection = z.infer<typeof MobilityDirection>;

/** Who moves: the seed distinguishes apprentices (work-study students) and PhD students. */
export const MobilityPopulation = z.enum(['student', 'apprentice', 'phd_student', 'teacher_researcher', 'staff']);
export type MobilityPopulation = z.infer<typeof MobilityPopulation>;

export const MobilityPurpose = z.enum(['study', 'internship', 'teaching', 'training']);
export type MobilityPurpose = z.infer<typeof MobilityPurpose>;

/** Cycle of studies: first (bachelor level), second (master level, engineering cycle), doctorate. */
export const StudyCycle = z.enum(['first', 'second', 'doctorate']);
export type StudyCycle = z.infer<typeof StudyCycle>;

/** Kinds of mobility an inter-institutional agreement covers (Erasmus+ terms). */
export const CooperationKind = z.enum(['student_study', 'student_traineeship', 'staff_teaching', 'staff_training']);
export type CooperationKind = z.infer<typeof CooperationKind>;

export const CooperationDirection = z.enum(['incoming', 'outgoing', 'both']);
export type CooperationDirection = z.infer<typeof CooperationDirection>;

export const CefrLevel = z.enum(['A1', 'A2', 'B1', 'B2', 'C1', 'C2']);
export type CefrLevel = z.infer<typeof CefrLevel>;

export const RoadmapHorizon = z.enum(['short', 'medium', 'long']);
export type RoadmapHorizon = z.infer<typeof RoadmapHorizon>;
export const ROADMAP_HORIZONS = RoadmapHorizon.options;

/** Where an action item came from. */
export const ActionSource = z.enum(['meeting', 'proposal', 'roadmap', 'manual']);
export type ActionSource = z.infer<typeof ActionSource>;

/** Where a semester of a double-degree plan is spent. */
export const SemesterPlace = z.enum(['france', 'partner']);
export type SemesterPlace = z.infer<typeof SemesterPlace>;
