/**
 * An agreement as the EWP Inter-Institutional Agreements API v7 sees it (`Iia`): two partners, the
 * first being the institution that serves the document, and unidirectional mobility
 * specifications in the schema's order. What our export writes, what a partner's file is read
 * into, and what the two are compared on; pure, the XML itself is the server's.
 */
import { isStudentKind, type AgreementContact, type CooperationCondition, type LanguageSkill, type SubjectArea } from './agreement-terms.js';
import type { Agreement, Partner, WorkspaceSettings } from './records.js';
import type { CooperationKind } from './vocabulary.js';

/** A contact as an IIA carries it. */
export type IiaContact = AgreementContact;

export interface IiaPartner {
  /** SCHAC code of the institution (empty when unknown). */
  heiId: string;
  ounitId: string | null;
  /** This institution's own id of the agreement. */
  iiaId: string | null;
  iiaCode: string;
  signingContact: IiaContact | null;
  signingDate: string | null;
  contacts: IiaContact[];
}

/** One unidirectional mobility specification (`*-mobility-spec`). */
export interface IiaMobility {
  kind: CooperationKind;
  sendingHeiId: string;
  sendingOunitId: string | null;
  receivingHeiId: string;
  receivingOunitId: string | null;
  firstYear: string;
  lastYear: string;
  /** Null while not agreed yet (written `not-yet-defined`). */
  mobilitiesPerYear: number | null;
  languageSkills: LanguageSkill[];
  subjectAreas: SubjectArea[];
  otherInfo: string;
  /** Months (student kinds) or days (staff kinds) per year; null when not given. */
  totalPerYear: number | null;
  /** Student kinds only; false for staff. */
  blended: boolean;
  /** Student kinds only; empty for staff. */
  eqfLevels: number[];
}

export interface Iia {
  partners: [IiaPartner, IiaPartner];
  inEffect: boolean;
  terminatedAsAWhole: boolean;
  mobilities: IiaMobility[];
}

/** The kinds in the order the schema lists their elements (the order of the mobilities, and so of the hash). */
export const IIA_KIND_ORDER: readonly CooperationKind[] = ['student_study', 'student_traineeship', 'staff_teaching', 'staff_training'];

/** What turning an agreement into an IIA needs besides the agreement. */
export interface IiaContext {
  /** The agreement's record id: our `iia-id`. */
  agreementId: string;
  settings: Pick<WorkspaceSettings, 'institutionSchac'>;
  partner: Pick<Partner, 'schac'> | undefined;
  /** The academic year written when neither the condition nor the agreement gives one (the schema requires years). */
  fallbackYear: string;
}

/** Statuses of an agreement that has been signed, so is or once was in effect (`in-effect`). */
const IN_EFFECT = new Set<Agreement['status']>(['signed', 'active', 'expired', 'terminated']);

const copyContact = (contact: AgreementContact): IiaContact => ({ ...contact });

function mobilitiesOf(condition: CooperationCondition, agreement: Agreement, context: IiaContext, ours: string, theirs: string): IiaMobility[] {
  const directions = condition.direction === 'both' ? (['outgoing', 'incoming'] as const) : [condition.direction];
  const student = isStudentKind(condition.kind);
  return directions.map((direction) => {
    const outgoing = direction === 'outgoing';
    return {
      kind: condition.kind,
      sendingHeiId: outgoing ? ours : theirs,
      sendingOunitId: outgoing ? condition.ourOunitId : condition.partnerOunitId,
      receivingHeiId: outgoing ? theirs : ours,
      receivingOunitId: outgoing ? condition.partnerOunitId : condition.ourOunitId,
      firstYear: condition.firstYear ?? agreement.fromYear ?? context.fallbackYear,
      lastYear: condition.lastYear ?? agreement.toYear ?? condition.firstYear ?? agreement.fromYear ?? context.fallbackYear,
      mobilitiesPerYear: condition.mobilitiesPerYear > 0 ? condition.mobilitiesPerYear : null,
      languageSkills: condition.languageSkills.map((skill) => ({ ...skill, subjectArea: skill.subjectArea && { ...skill.subjectArea } })),
      subjectAreas: condition.subjectAreas.map((area) => ({ ...area })),
      otherInfo: condition.otherInfo,
      totalPerYear: condition.totalPerYear > 0 ? condition.totalPerYear : null,
      blended: student ? condition.blended : false,
      eqfLevels: student ? [...condition.eqfLevels].sort((a, b) => a - b) : [],
    };
  });
}

/** The agreement as the IIA we serve: we are the first partner, our id of it is the record's id. */
export function agreementToIia(agreement: Agreement, context: IiaContext): Iia {
  const ours = context.settings.institutionSchac ?? '';
  const theirs = context.partner?.schac ?? '';
  const side = (heiId: string, iiaId: string | null, value: Agreement['ourSide']): IiaPartner => ({
    heiId,
    ounitId: value.ounitId,
    iiaId,
    iiaCode: value.iiaCode,
    signingContact: value.signingPerson && copyContact(value.signingPerson),
    signingDate: value.signingDate,
    contacts: value.contacts.map(copyContact),
  });
  const mobilities = IIA_KIND_ORDER.flatMap((kind) =>
    agreement.conditions.filter((condition) => condition.kind === kind).flatMap((condition) => mobilitiesOf(condition, agreement, context, ours, theirs)),
  );
  return {
    partners: [side(ours, context.agreementId, agreement.ourSide), side(theirs, agreement.partnerSide.iiaId, agreement.partnerSide)],
    inEffect: IN_EFFECT.has(agreement.status),
    terminatedAsAWhole: agreement.terminatedAsAWhole,
    mobilities,
  };
}

/**
 * Which of a received IIA's two partners is us: the one holding our id of the agreement, else the
 * one with our SCHAC code, else the second (a partner serves its IIAs with itself first).
 */
export function ourPartnerIndex(iia: Iia, us: { agreementId: string; heiId: string }): 0 | 1 {
  const byId = iia.partners.findIndex((partner) => partner.iiaId === us.agreementId);
  if (byId === 0 || byId === 1) return byId;
  const byHei = iia.partners.map((partner) => us.heiId !== '' && partner.heiId === us.heiId);
  if (byHei[0] !== byHei[1]) return byHei[0] ? 0 : 1;
  return 1;
}

/**
 * The agreement fields a received IIA sets: the partner's side and the cooperation conditions
 * (each mobility one unidirectional condition, as from us or to us), the years they span and the
 * termination. Our own side stays ours.
 */
export function iiaToAgreementPatch(iia: Iia, us: { agreementId: string; heiId: string }): Pick<Agreement, 'partnerSide' | 'conditions' | 'terminatedAsAWhole' | 'fromYear' | 'toYear'> {
  const ourIndex = ourPartnerIndex(iia, us);
  const ourHei = iia.partners[ourIndex].heiId;
  const partner = iia.partners[ourIndex === 0 ? 1 : 0];
  const conditions: CooperationCondition[] = iia.mobilities.map((mobility) => {
    const outgoing = mobility.sendingHeiId === ourHei;
    return {
      direction: outgoing ? 'outgoing' : 'incoming',
      kind: mobility.kind,
      ourOunitId: outgoing ? mobility.sendingOunitId : mobility.receivingOunitId,
      partnerOunitId: outgoing ? mobility.receivingOunitId : mobility.sendingOunitId,
      firstYear: mobility.firstYear,
      lastYear: mobility.lastYear,
      mobilitiesPerYear: mobility.mobilitiesPerYear ?? 0,
      totalPerYear: mobility.totalPerYear ?? 0,
      subjectAreas: mobility.subjectAreas.map((area) => ({ ...area })),
      languageSkills: mobility.languageSkills.map((skill) => ({ ...skill })),
      eqfLevels: [...mobility.eqfLevels],
      blended: mobility.blended,
      otherInfo: mobility.otherInfo,
    };
  });
  const years = iia.mobilities.flatMap((mobility) => [mobility.firstYear, mobility.lastYear]).sort();
  return {
    partnerSide: {
      iiaId: partner.iiaId,
      iiaCode: partner.iiaCode,
      ounitId: partner.ounitId,
      signingPerson: partner.signingContact,
      signingDate: partner.signingDate,
      contacts: partner.contacts,
    },
    conditions,
    terminatedAsAWhole: iia.terminatedAsAWhole,
    fromYear: years[0] ?? null,
    toYear: years.at(-1) ?? null,
  };
}

/** Something an agreement still lacks before it can be approved in EWP: a catalog key, and the condition it is about. */
export interface MissingForApproval {
  key:
    | 'ewp.missing.ourSchac'
    | 'ewp.missing.partner'
    | 'ewp.missing.partnerSchac'
    | 'ewp.missing.partnerIiaId'
    | 'ewp.missing.ourIiaCode'
    | 'ewp.missing.conditions'
    | 'ewp.missing.years'
    | 'ewp.missing.mobilities'
    | 'ewp.missing.total'
    | 'ewp.missing.languageSkill'
    | 'ewp.missing.subjectArea'
    | 'ewp.missing.eqf'
    | 'ewp.missing.terminatedNotApproved';
  /** The condition (1-based) the item is about. */
  condition?: number;
}

/**
 * What EWP needs before the partner can approve the agreement: both institutions' SCHAC codes,
 * the partner's id of the agreement and our number for it (the schema's rules for the first
 * partner), and for each condition its years, mobilities, total, subject area, a language skill
 * where the schema requires one, and EQF levels for study mobility. Empty when nothing is missing.
 */
export function missingForApproval(agreement: Agreement, context: Pick<IiaContext, 'settings' | 'partner'>): MissingForApproval[] {
  const missing: MissingForApproval[] = [];
  if (!context.settings.institutionSchac) missing.push({ key: 'ewp.missing.ourSchac' });
  if (!context.partner) missing.push({ key: 'ewp.missing.partner' });
  else if (!context.partner.schac) missing.push({ key: 'ewp.missing.partnerSchac' });
  if (!agreement.partnerSide.iiaId) missing.push({ key: 'ewp.missing.partnerIiaId' });
  if (!agreement.ourSide.iiaCode) missing.push({ key: 'ewp.missing.ourIiaCode' });
  if (agreement.conditions.length === 0) missing.push({ key: 'ewp.missing.conditions' });
  agreement.conditions.forEach((condition, index) => {
    const at = index + 1;
    if (!(condition.firstYear ?? agreement.fromYear) || !(condition.lastYear ?? agreement.toYear)) missing.push({ key: 'ewp.missing.years', condition: at });
    if (condition.mobilitiesPerYear <= 0) missing.push({ key: 'ewp.missing.mobilities', condition: at });
    if (condition.totalPerYear <= 0) missing.push({ key: 'ewp.missing.total', condition: at });
    if (condition.subjectAreas.length === 0) missing.push({ key: 'ewp.missing.subjectArea', condition: at });
    if ((condition.kind === 'student_study' || condition.kind === 'staff_teaching') && condition.languageSkills.length === 0) {
      missing.push({ key: 'ewp.missing.languageSkill', condition: at });
    }
    if (condition.kind === 'student_study' && condition.eqfLevels.length === 0) missing.push({ key: 'ewp.missing.eqf', condition: at });
  });
  if (agreement.terminatedAsAWhole && agreement.approval !== 'approved_by_both') missing.push({ key: 'ewp.missing.terminatedNotApproved' });
  return missing;
}
