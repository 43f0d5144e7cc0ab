/**
 * IIA v7 "get" responses: an `Iia` written as the schema's XML (with its `iia-hash`), and a
 * partner's response read back into `Iia`s. Values a condition does not have yet are written the
 * way the schema provides (`not-yet-defined`) and read back as missing, so that our own export
 * reads back as what we have.
 */
import type { Iia, IiaContact, IiaMobility, IiaPartner } from '@passerelle/shared';
import { IIA_KIND_ORDER } from '@passerelle/shared';
import { iiaHash } from './iia-hash.js';
import { childNamed, childrenNamed, element, writeXml, type XmlNode } from './xml-tree.js';

export const IIA_NS = 'https://github.com/erasmus-without-paper/ewp-specs-api-iias/blob/stable-v7/endpoints/get-response.xsd';
const CONTACT_NS = 'https://github.com/erasmus-without-paper/ewp-specs-types-contact/tree/stable-v1';
const PHONE_NS = 'https://github.com/erasmus-without-paper/ewp-specs-types-phonenumber/tree/stable-v1';

/** The element of each kind of mobility. */
export const SPEC_ELEMENT = {
  student_study: 'student-studies-mobility-spec',
  student_traineeship: 'student-traineeship-mobility-spec',
  staff_teaching: 'staff-teacher-mobility-spec',
  staff_training: 'staff-training-mobility-spec',
} as const;

/** Kinds whose specification requires at least one language skill. */
const SKILL_REQUIRED = new Set(['student_study', 'staff_teaching']);
/** The language written in a required skill not agreed yet; marked `not-yet-defined`, so never taken for a value. */
const PLACEHOLDER_LANGUAGE = 'en';

const e = (name: string, content?: string | number | boolean | XmlNode[], attributes?: Record<string, string>) => element(IIA_NS, name, content, attributes);
const c = (name: string, content?: string | number | boolean | XmlNode[]) => element(CONTACT_NS, name, content);

function contactChildren(contact: IiaContact): XmlNode[] {
  return [
    c('contact-name', contact.name),
    ...(contact.phone ? [element(PHONE_NS, 'phone-number', [/^\+[0-9]{1,15}$/.test(contact.phone) ? element(PHONE_NS, 'e164', contact.phone) : element(PHONE_NS, 'other-format', contact.phone)])] : []),
    ...(contact.email ? [c('email', contact.email)] : []),
    ...(contact.role ? [c('role-description', contact.role)] : []),
  ];
}

function partnerNode(partner: IiaPartner, first: boolean): XmlNode {
  return e('partner', [
    e('hei-id', partner.heiId),
    ...(partner.ounitId ? [e('ounit-id', partner.ounitId)] : []),
    ...(partner.iiaId ? [e('iia-id', partner.iiaId)] : []),
    // The first partner (the one serving the document) must give its agreement number.
    ...(partner.iiaCode || first ? [e('iia-code', partner.iiaCode)] : []),
    ...(partner.signingContact ? [e('signing-contact', contactChildren(partner.signingContact))] : []),
    ...(partner.signingDate ? [e('signing-date', partner.signingDate)] : []),
    ...partner.contacts.map((contact) => c('contact', contactChildren(contact))),
  ]);
}

const subjectAreaNode = (area: { iscedF: string; clarification: string }) =>
  e('subject-area', [e('isced-f-code', area.iscedF), ...(area.clarification ? [e('isced-clarification', area.clarification)] : [])]);

function mobilityNode(mobility: IiaMobility): XmlNode {
  const student = mobility.kind === 'student_study' || mobility.kind === 'student_traineeship';
  const skills = mobility.languageSkills.map((skill) =>
    e('recommended-language-skill', [e('language', skill.language), ...(skill.cefr ? [e('cefr-level', skill.cefr)] : []), ...(skill.subjectArea ? [subjectAreaNode(skill.subjectArea)] : [])]),
  );
  if (skills.length === 0 && SKILL_REQUIRED.has(mobility.kind)) {
    skills.push(e('recommended-language-skill', [e('language', PLACEHOLDER_LANGUAGE)], { 'not-yet-defined': 'true' }));
  }
  const total = mobility.totalPerYear === null ? [] : [e(student ? 'total-months-per-year' : 'total-days-per-year', mobility.totalPerYear)];
  return e(SPEC_ELEMENT[mobility.kind], [
    e('sending-hei-id', mobility.sendingHeiId),
    ...(mobility.sendingOunitId ? [e('sending-ounit-id', mobility.sendingOunitId)] : []),
    e('receiving-hei-id', mobility.receivingHeiId),
    ...(mobility.receivingOunitId ? [e('receiving-ounit-id', mobility.receivingOunitId)] : []),
    e('receiving-first-academic-year-id', mobility.firstYear),
    e('receiving-last-academic-year-id', mobility.lastYear),
    // The schema wants a positive number even when it is not agreed yet; the flag says it is not a value.
    mobility.mobilitiesPerYear === null ? e('mobilities-per-year', 1, { 'not-yet-defined': 'true' }) : e('mobilities-per-year', mobility.mobilitiesPerYear),
    ...skills,
    ...mobility.subjectAreas.map(subjectAreaNode),
    ...(mobility.otherInfo ? [e('other-info-terms', mobility.otherInfo)] : []),
    ...total,
    ...(student ? [e('blended', mobility.blended), ...mobility.eqfLevels.map((level) => e('eqf-level', level))] : []),
  ]);
}

/** The `iia` element of an IIA, its `iia-hash` computed over the element itself. */
export function iiaNode(iia: Iia): XmlNode {
  const mobilities = [...iia.mobilities].sort((a, b) => IIA_KIND_ORDER.indexOf(a.kind) - IIA_KIND_ORDER.indexOf(b.kind));
  const node = e('iia', [
    partnerNode(iia.partners[0], true),
    partnerNode(iia.partners[1], false),
    e('in-effect', iia.inEffect),
    e('cooperation-conditions', mobilities.map(mobilityNode), iia.terminatedAsAWhole ? { 'terminated-as-a-whole': 'true' } : {}),
  ]);
  node.children.push(e('iia-hash', iiaHash(node)));
  return node;
}

/** An IIA v7 get response holding `iias`. */
export function iiasGetResponse(iias: Iia[]): string {
  return writeXml(element(IIA_NS, 'iias-get-response', iias.map(iiaNode)), { c: CONTACT_NS, p: PHONE_NS });
}

// Reading.

const text = (node: XmlNode | undefined) => (node ? node.text.trim() : '');
const optionalText = (node: XmlNode | undefined) => text(node) || null;
const notYetDefined = (node: XmlNode) => node.attributes['not-yet-defined'] === 'true' || node.attributes['not-yet-defined'] === '1';

function readContact(node: XmlNode): IiaContact {
  const phone = childNamed(node, 'phone-number');
  return {
    name: text(childNamed(node, 'contact-name')),
    email: text(childNamed(node, 'email')),
    phone: phone ? text(childNamed(phone, 'e164')) || text(childNamed(phone, 'other-format')) : '',
    role: text(childNamed(node, 'role-description')),
  };
}

function readPartner(node: XmlNode): IiaPartner {
  const signing = childNamed(node, 'signing-contact');
  return {
    heiId: text(childNamed(node, 'hei-id')),
    ounitId: optionalText(childNamed(node, 'ounit-id')),
    iiaId: optionalText(childNamed(node, 'iia-id')),
    iiaCode: text(childNamed(node, 'iia-code')),
    signingContact: signing ? readContact(signing) : null,
    signingDate: optionalText(childNamed(node, 'signing-date')),
    contacts: childrenNamed(node, 'contact').map(readContact),
  };
}

const readSubjectArea = (node: XmlNode) => ({ iscedF: text(childNamed(node, 'isced-f-code')), clarification: text(childNamed(node, 'isced-clarification')) });
const number = (node: XmlNode | undefined) => (node && text(node) !== '' ? Number(text(node)) : null);

function readMobility(node: XmlNode, kind: IiaMobility['kind']): IiaMobility {
  const perYear = childNamed(node, 'mobilities-per-year');
  return {
    kind,
    sendingHeiId: text(childNamed(node, 'sending-hei-id')),
    sendingOunitId: optionalText(childNamed(node, 'sending-ounit-id')),
    receivingHeiId: text(childNamed(node, 'receiving-hei-id')),
    receivingOunitId: optionalText(childNamed(node, 'receiving-ounit-id')),
    firstYear: text(childNamed(node, 'receiving-first-academic-year-id')),
    lastYear: text(childNamed(node, 'receiving-last-academic-year-id')),
    mobilitiesPerYear: perYear && !notYetDefined(perYear) ? number(perYear) : null,
    languageSkills: childrenNamed(node, 'recommended-language-skill')
      .filter((skill) => !notYetDefined(skill))
      .map((skill) => {
        const area = childNamed(skill, 'subject-area');
        return { language: text(childNamed(skill, 'language')), cefr: (optionalText(childNamed(skill, 'cefr-level')) as IiaMobility['languageSkills'][number]['cefr']) ?? null, subjectArea: area ? readSubjectArea(area) : null };
      }),
    subjectAreas: childrenNamed(node, 'subject-area').map(readSubjectArea),
    otherInfo: text(childNamed(node, 'other-info-terms')),
    totalPerYear: number(childNamed(node, 'total-months-per-year') ?? childNamed(node, 'total-days-per-year')),
    blended: text(childNamed(node, 'blended')) === 'true' || text(childNamed(node, 'blended')) === '1',
    eqfLevels: childrenNamed(node, 'eqf-level').map((level) => Number(text(level))),
  };
}

/** Reads one `iia` element. Elements that are not a mobility specification are ignored. */
export function readIia(node: XmlNode): Iia {
  const partners = childrenNamed(node, 'partner').map(readPartner);
  const conditions = childNamed(node, 'cooperation-conditions');
  const mobilities: IiaMobility[] = [];
  for (const child of conditions?.children ?? []) {
    const kind = IIA_KIND_ORDER.find((each) => SPEC_ELEMENT[each] === child.name);
    if (kind) mobilities.push(readMobility(child, kind));
  }
  const empty: IiaPartner = { heiId: '', ounitId: null, iiaId: null, iiaCode: '', signingContact: null, signingDate: null, contacts: [] };
  const terminated = conditions?.attributes['terminated-as-a-whole'];
  return {
    partners: [partners[0] ?? empty, partners[1] ?? empty],
    inEffect: text(childNamed(node, 'in-effect')) === 'true' || text(childNamed(node, 'in-effect')) === '1',
    terminatedAsAWhole: terminated === 'true' || terminated === '1',
    mobilities,
  };
}
