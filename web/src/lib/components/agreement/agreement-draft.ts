/**
 * The agreement form's editable drafts of EWP terms (text inputs hold strings, empty meaning "not
 * given") and their conversion to and from the record's shape, which the shared schema then checks.
 */
import type { AgreementContact, AgreementSide, CefrLevel, CooperationCondition, CooperationDirection, CooperationKind } from '@passerelle/shared';
import { blankToNull } from '../WorkspaceFormat.js';

export interface ContactDraft {
  name: string;
  email: string;
  phone: string;
  role: string;
}

export interface SideDraft {
  iiaId: string;
  iiaCode: string;
  ounitId: string;
  signing: ContactDraft;
  signingDate: string;
  contacts: ContactDraft[];
}

export interface SkillDraft {
  language: string;
  cefr: CefrLevel | '';
  /** The ISCED-F code of one of the condition's subject areas, or empty for the whole condition. */
  iscedF: string;
}

export interface ConditionDraft {
  direction: CooperationDirection;
  kind: CooperationKind;
  ourOunitId: string;
  partnerOunitId: string;
  firstYear: string;
  lastYear: string;
  mobilitiesPerYear: number | null;
  totalPerYear: number | null;
  subjectAreas: { iscedF: string; clarification: string }[];
  languageSkills: SkillDraft[];
  eqfLevels: number[];
  blended: boolean;
  otherInfo: string;
}

const emptyContact = (): ContactDraft => ({ name: '', email: '', phone: '', role: '' });

export const contactDraft = (contact: AgreementContact | null): ContactDraft => (contact ? { ...contact } : emptyContact());

/** A contact as stored: null when every field is blank, so that an untouched signatory stays unset. */
export function contactFromDraft(draft: ContactDraft): AgreementContact | null {
  return [draft.name, draft.email, draft.phone, draft.role].every((value) => value.trim() === '') ? null : { ...draft };
}

export function sideDraft(side: AgreementSide | undefined): SideDraft {
  return {
    iiaId: side?.iiaId ?? '',
    iiaCode: side?.iiaCode ?? '',
    ounitId: side?.ounitId ?? '',
    signing: contactDraft(side?.signingPerson ?? null),
    signingDate: side?.signingDate ?? '',
    contacts: side?.contacts.map(contactDraft) ?? [],
  };
}

export function sideFromDraft(draft: SideDraft): AgreementSide {
  return {
    iiaId: blankToNull(draft.iiaId),
    iiaCode: draft.iiaCode,
    ounitId: blankToNull(draft.ounitId),
    signingPerson: contactFromDraft(draft.signing),
    signingDate: blankToNull(draft.signingDate),
    contacts: draft.contacts.map((contact) => ({ ...contact })),
  };
}

export function conditionDraft(condition: CooperationCondition): ConditionDraft {
  return {
    direction: condition.direction,
    kind: condition.kind,
    ourOunitId: condition.ourOunitId ?? '',
    partnerOunitId: condition.partnerOunitId ?? '',
    firstYear: condition.firstYear ?? '',
    lastYear: condition.lastYear ?? '',
    mobilitiesPerYear: condition.mobilitiesPerYear,
    totalPerYear: condition.totalPerYear,
    subjectAreas: condition.subjectAreas.map((area) => ({ ...area })),
    languageSkills: condition.languageSkills.map((skill) => ({ language: skill.language, cefr: skill.cefr ?? '', iscedF: skill.subjectArea?.iscedF ?? '' })),
    eqfLevels: [...condition.eqfLevels],
    blended: condition.blended,
    otherInfo: condition.otherInfo,
  };
}

/** A new condition: two study mobilities of five months each, both ways, in chemical and process engineering. */
export function newConditionDraft(): ConditionDraft {
  return {
    direction: 'both',
    kind: 'student_study',
    ourOunitId: '',
    partnerOunitId: '',
    firstYear: '',
    lastYear: '',
    mobilitiesPerYear: 2,
    totalPerYear: 10,
    subjectAreas: [{ iscedF: '0711', clarification: '' }],
    languageSkills: [{ language: 'en', cefr: 'B2', iscedF: '' }],
    eqfLevels: [7],
    blended: false,
    otherInfo: '',
  };
}

/** The condition for the schema to check; numbers left blank become NaN so that the schema names the field. */
export function conditionFromDraft(draft: ConditionDraft): unknown {
  return {
    direction: draft.direction,
    kind: draft.kind,
    ourOunitId: blankToNull(draft.ourOunitId),
    partnerOunitId: blankToNull(draft.partnerOunitId),
    firstYear: blankToNull(draft.firstYear),
    lastYear: blankToNull(draft.lastYear),
    mobilitiesPerYear: draft.mobilitiesPerYear ?? Number.NaN,
    totalPerYear: draft.totalPerYear ?? Number.NaN,
    subjectAreas: draft.subjectAreas.map((area) => ({ iscedF: area.iscedF, clarification: area.clarification })),
    languageSkills: draft.languageSkills.map((skill) => {
      const area = skill.iscedF ? draft.subjectAreas.find((each) => each.iscedF === skill.iscedF) : undefined;
      return { language: skill.language, cefr: skill.cefr || null, subjectArea: area ? { iscedF: area.iscedF, clarification: area.clarification } : null };
    }),
    eqfLevels: [...draft.eqfLevels].sort((a, b) => a - b),
    blended: draft.blended,
    otherInfo: draft.otherInfo,
  };
}
