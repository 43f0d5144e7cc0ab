/**
 * The name a person reads for each field of a workspace record (in a record's history, for one):
 * the label its form gives it, as a catalog key.
 */
import type { MessageKey } from '../i18n/index.js';
import type { WorkspaceRecordKind } from './permissions.js';

const FLOW_KIND = {
  academicYear: 'ws.flow.academicYear',
  direction: 'ws.flow.direction',
  population: 'ws.flow.population',
  purpose: 'ws.flow.purpose',
} as const satisfies Record<string, MessageKey>;

/** Each record kind's fields, by the name they are stored under. */
export const RECORD_FIELD_LABELS: Record<WorkspaceRecordKind, Readonly<Record<string, MessageKey>>> = {
  partner: {
    name: 'ws.partner.name',
    localName: 'ws.partner.localName',
    kind: 'ws.partner.kind',
    country: 'ws.partner.country',
    region: 'ws.partner.region',
    city: 'ws.partner.city',
    specialties: 'ws.partner.specialties',
    erasmusCode: 'ws.partner.erasmusCode',
    pic: 'ws.partner.pic',
    schac: 'ws.partner.schac',
    oid: 'ws.partner.oid',
    contacts: 'ws.partner.contacts',
    notes: 'ws.notes',
  },
  agreement: {
    title: 'ws.agreement.title',
    type: 'ws.agreement.type',
    partnerId: 'ws.agreement.partner',
    status: 'ws.agreement.status',
    fromYear: 'ws.agreement.fromYear',
    toYear: 'ws.agreement.toYear',
    conditions: 'ws.conditions.title',
    doubleDegreePlan: 'ws.plan.title',
    notes: 'ws.notes',
    ourSide: 'ewp.side.ours',
    partnerSide: 'ewp.side.partner',
    approval: 'ewp.approval',
    terminatedAsAWhole: 'ewp.field.terminatedAsAWhole',
  },
  mobility: {
    ...FLOW_KIND,
    cycle: 'ws.flow.cycle',
    studyYear: 'ws.flow.studyYear',
    partnerId: 'ws.flow.partner',
    planned: 'ws.flow.planned',
    realised: 'ws.flow.realised',
    notes: 'ws.notes',
    department: 'records.owner',
  },
  target: {
    ...FLOW_KIND,
    target: 'ws.target.target',
    department: 'records.owner',
  },
};

/** The catalog key naming `field` of a `kind` record; null for a field this version does not know. */
export function recordFieldLabel(kind: WorkspaceRecordKind, field: string): MessageKey | null {
  return Object.hasOwn(RECORD_FIELD_LABELS[kind], field) ? RECORD_FIELD_LABELS[kind][field]! : null;
}
