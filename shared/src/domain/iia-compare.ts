/**
 * Our agreement beside a partner's IIA, field by field: each side's identifiers and people, the
 * agreement's state, and each mobility paired with the partner's of the same kind and direction.
 */
import { ourPartnerIndex, type Iia, type IiaContact, type IiaMobility, type IiaPartner } from './iia.js';
import type { LanguageSkill, SubjectArea } from './agreement-terms.js';
import type { CooperationKind } from './vocabulary.js';

/** A field's value as shown: text, a number, yes/no, a list, or nothing. */
export type IiaValue = string | number | boolean | null | string[];

export type IiaField =
  | 'inEffect'
  | 'terminatedAsAWhole'
  | 'heiId'
  | 'ounitId'
  | 'iiaId'
  | 'iiaCode'
  | 'signingContact'
  | 'signingDate'
  | 'contacts'
  | 'sendingOunitId'
  | 'receivingOunitId'
  | 'firstYear'
  | 'lastYear'
  | 'mobilitiesPerYear'
  | 'totalPerYear'
  | 'subjectAreas'
  | 'languageSkills'
  | 'eqfLevels'
  | 'blended'
  | 'otherInfo';

/** One line of the comparison. `mobility` (1-based) and its kind and direction, for a mobility's fields. */
export interface IiaComparisonRow {
  section: 'agreement' | 'ours' | 'partner' | 'mobility';
  field: IiaField;
  mobility?: { index: number; kind: CooperationKind; direction: 'outgoing' | 'incoming' };
  /** Null on a side that lacks the mobility altogether. */
  ours: IiaValue;
  theirs: IiaValue;
  differs: boolean;
}

const contactText = (contact: IiaContact) => [contact.name, contact.email && `<${contact.email}>`, contact.phone, contact.role && `(${contact.role})`].filter(Boolean).join(' ');
const areaText = (area: SubjectArea) => (area.clarification ? `${area.iscedF} – ${area.clarification}` : area.iscedF);
const skillText = (skill: LanguageSkill) => [skill.language, skill.cefr, skill.subjectArea && `[${areaText(skill.subjectArea)}]`].filter(Boolean).join(' ');

function same(left: IiaValue, right: IiaValue): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

function partnerValues(partner: IiaPartner): [IiaField, IiaValue][] {
  return [
    ['heiId', partner.heiId || null],
    ['ounitId', partner.ounitId],
    ['iiaId', partner.iiaId],
    ['iiaCode', partner.iiaCode || null],
    ['signingContact', partner.signingContact && contactText(partner.signingContact)],
    ['signingDate', partner.signingDate],
    ['contacts', partner.contacts.map(contactText)],
  ];
}

function mobilityValues(mobility: IiaMobility): [IiaField, IiaValue][] {
  return [
    ['sendingOunitId', mobility.sendingOunitId],
    ['receivingOunitId', mobility.receivingOunitId],
    ['firstYear', mobility.firstYear],
    ['lastYear', mobility.lastYear],
    ['mobilitiesPerYear', mobility.mobilitiesPerYear],
    ['totalPerYear', mobility.totalPerYear],
    ['subjectAreas', mobility.subjectAreas.map(areaText)],
    ['languageSkills', mobility.languageSkills.map(skillText)],
    ['eqfLevels', mobility.eqfLevels.map(String)],
    ['blended', mobility.blended],
    ['otherInfo', mobility.otherInfo || null],
  ];
}

/** Mobilities keyed by kind and direction as seen from `ourHei`, in order. */
function byKindAndDirection(mobilities: IiaMobility[], ourHei: string): Map<string, IiaMobility[]> {
  const groups = new Map<string, IiaMobility[]>();
  for (const mobility of mobilities) {
    const key = `${mobility.kind}|${mobility.sendingHeiId === ourHei ? 'outgoing' : 'incoming'}`;
    groups.set(key, [...(groups.get(key) ?? []), mobility]);
  }
  return groups;
}

/**
 * Compares our IIA (us first) with one a partner sent (read as it came): each side's fields with
 * the same side's in theirs, then the mobilities paired by kind and direction in their order.
 */
export function compareIia(ours: Iia, theirs: Iia): IiaComparisonRow[] {
  const rows: IiaComparisonRow[] = [];
  const push = (row: Omit<IiaComparisonRow, 'differs'>, oneSided = false) => rows.push({ ...row, differs: oneSided || !same(row.ours, row.theirs) });
  push({ section: 'agreement', field: 'inEffect', ours: ours.inEffect, theirs: theirs.inEffect });
  push({ section: 'agreement', field: 'terminatedAsAWhole', ours: ours.terminatedAsAWhole, theirs: theirs.terminatedAsAWhole });

  const ourIndex = ourPartnerIndex(theirs, { agreementId: ours.partners[0].iiaId ?? '', heiId: ours.partners[0].heiId });
  const sides = [
    ['ours', ours.partners[0], theirs.partners[ourIndex]],
    ['partner', ours.partners[1], theirs.partners[ourIndex === 0 ? 1 : 0]],
  ] as const;
  for (const [section, left, right] of sides) {
    const rightValues = new Map(partnerValues(right));
    for (const [field, value] of partnerValues(left)) push({ section, field, ours: value, theirs: rightValues.get(field) ?? null });
  }

  const ourGroups = byKindAndDirection(ours.mobilities, ours.partners[0].heiId);
  const theirGroups = byKindAndDirection(theirs.mobilities, theirs.partners[ourIndex].heiId);
  const keys = [...new Set([...ourGroups.keys(), ...theirGroups.keys()])];
  let index = 0;
  for (const key of keys) {
    const [kind, direction] = key.split('|') as [CooperationKind, 'outgoing' | 'incoming'];
    const left = ourGroups.get(key) ?? [];
    const right = theirGroups.get(key) ?? [];
    for (let position = 0; position < Math.max(left.length, right.length); position++) {
      index += 1;
      const leftValues = left[position] ? mobilityValues(left[position]!) : null;
      const rightValues = right[position] ? new Map(mobilityValues(right[position]!)) : null;
      const fields = (leftValues ?? mobilityValues(right[position]!)).map(([field]) => field);
      const leftMap = leftValues && new Map(leftValues);
      for (const field of fields) {
        push({ section: 'mobility', field, mobility: { index, kind, direction }, ours: leftMap ? (leftMap.get(field) ?? null) : null, theirs: rightValues ? (rightValues.get(field) ?? null) : null }, !leftMap || !rightValues);
      }
    }
  }
  return rows;
}
