/**
 * The columns of the workspace's records in spreadsheets and the table view: partners, agreements,
 * mobility flows and targets. Each list is in the order the table shows it; a column with a `field`
 * is imported back into it. To add a column, add an entry: the exports, the import's mapping and
 * the table view follow.
 */
import type { Stored } from '../domain/collection.js';
import type { Agreement, MobilityFlow, MobilityTarget, Partner } from '../domain/records.js';
import { AgreementStatus, AgreementType, MobilityDirection, MobilityPopulation, MobilityPurpose, PartnerKind, StudyCycle, WORLD_REGIONS } from '../domain/vocabulary.js';
import type { SheetCell, SheetColumn, SheetContext } from './columns.js';

/** A record's own field, as written in the record. */
const field =
  <R>(name: keyof R & string) =>
  (record: R): SheetCell | readonly string[] => {
    const value = record[name];
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || Array.isArray(value) ? (value as SheetCell | string[]) : null;
  };

/** A partner named by a cell: its name, local name or Erasmus code, else an error. */
const partnerCell = {
  read: (text: string, context: SheetContext) => {
    const id = context.partnerIdOf(text);
    return id ? { value: id } : { error: 'sheets.error.unknownPartner' as const };
  },
  empty: 'null' as const,
};
const partnerOf = (record: { partnerId: string | null }, context: SheetContext) => context.partnerName(record.partnerId);

export const PARTNER_COLUMNS: SheetColumn<Stored<Partner>>[] = [
  { key: 'name', label: 'ws.partner.name', kind: 'text', value: field('name'), field: 'name', empty: 'keep' },
  { key: 'localName', label: 'ws.partner.localName', kind: 'text', value: field('localName'), field: 'localName', empty: 'blank' },
  { key: 'kind', label: 'ws.partner.kind', kind: 'enum', value: field('kind'), options: PartnerKind.options, labels: 'partnerKind', field: 'kind', empty: 'keep' },
  { key: 'region', label: 'ws.partner.region', kind: 'enum', value: field('region'), options: WORLD_REGIONS, labels: 'region', field: 'region', empty: 'keep' },
  { key: 'country', label: 'ws.partner.country', kind: 'enum', value: field('country'), field: 'country', empty: 'null' },
  { key: 'city', label: 'ws.partner.city', kind: 'text', value: field('city'), field: 'city', empty: 'blank' },
  { key: 'specialties', label: 'ws.partner.specialties', kind: 'list', value: field('specialties'), field: 'specialties', empty: 'blank' },
  { key: 'erasmusCode', label: 'ws.partner.erasmusCode', kind: 'text', value: field('erasmusCode'), field: 'erasmusCode', empty: 'null' },
  { key: 'pic', label: 'ws.partner.pic', kind: 'text', value: field('pic'), field: 'pic', empty: 'null' },
  { key: 'agreements', label: 'ws.agreements.title', kind: 'number', value: (partner, context) => context.agreementCount(partner.id) },
];

export const AGREEMENT_COLUMNS: SheetColumn<Stored<Agreement>>[] = [
  { key: 'title', label: 'ws.agreement.title', kind: 'text', value: field('title'), field: 'title', empty: 'keep' },
  { key: 'partner', label: 'ws.agreement.partner', kind: 'text', value: partnerOf, field: 'partnerId', ...partnerCell },
  { key: 'type', label: 'ws.agreement.type', kind: 'enum', value: field('type'), options: AgreementType.options, labels: 'agreementType', field: 'type', empty: 'keep' },
  { key: 'status', label: 'ws.agreement.status', kind: 'enum', value: field('status'), options: AgreementStatus.options, labels: 'agreementStatus', field: 'status', empty: 'keep' },
  { key: 'fromYear', label: 'ws.agreement.fromYear', kind: 'enum', value: field('fromYear'), field: 'fromYear', empty: 'null' },
  { key: 'toYear', label: 'ws.agreement.toYear', kind: 'enum', value: field('toYear'), field: 'toYear', empty: 'null' },
  { key: 'conditions', label: 'ws.conditions.title', kind: 'number', value: (agreement) => agreement.conditions.length },
];

export const FLOW_COLUMNS: SheetColumn<Stored<MobilityFlow>>[] = [
  { key: 'academicYear', label: 'ws.flow.academicYear', kind: 'enum', value: field('academicYear'), field: 'academicYear', empty: 'keep' },
  { key: 'direction', label: 'ws.flow.direction', kind: 'enum', value: field('direction'), options: MobilityDirection.options, labels: 'direction', field: 'direction', empty: 'keep' },
  { key: 'population', label: 'ws.flow.population', kind: 'enum', value: field('population'), options: MobilityPopulation.options, labels: 'population', field: 'population', empty: 'keep' },
  { key: 'purpose', label: 'ws.flow.purpose', kind: 'enum', value: field('purpose'), options: MobilityPurpose.options, labels: 'purpose', field: 'purpose', empty: 'keep' },
  { key: 'cycle', label: 'ws.flow.cycle', kind: 'enum', value: field('cycle'), options: StudyCycle.options, labels: 'cycle', field: 'cycle', empty: 'null' },
  { key: 'studyYear', label: 'ws.flow.studyYear', kind: 'number', value: field('studyYear'), field: 'studyYear', empty: 'null' },
  { key: 'partner', label: 'ws.flow.partner', kind: 'text', value: partnerOf, field: 'partnerId', ...partnerCell },
  { key: 'planned', label: 'ws.flow.planned', kind: 'number', value: field('planned'), field: 'planned', empty: 'keep' },
  { key: 'realised', label: 'ws.flow.realised', kind: 'number', value: field('realised'), field: 'realised', empty: 'null' },
];

export const TARGET_COLUMNS: SheetColumn<Stored<MobilityTarget>>[] = [
  { key: 'academicYear', label: 'ws.flow.academicYear', kind: 'enum', value: field('academicYear'), field: 'academicYear', empty: 'keep' },
  { key: 'direction', label: 'ws.flow.direction', kind: 'enum', value: field('direction'), options: MobilityDirection.options, labels: 'direction', field: 'direction', empty: 'keep' },
  { key: 'population', label: 'ws.flow.population', kind: 'enum', value: field('population'), options: MobilityPopulation.options, labels: 'population', field: 'population', empty: 'keep' },
  { key: 'purpose', label: 'ws.flow.purpose', kind: 'enum', value: field('purpose'), options: MobilityPurpose.options, labels: 'purpose', field: 'purpose', empty: 'keep' },
  { key: 'target', label: 'ws.target.target', kind: 'number', value: field('target'), field: 'target', empty: 'keep' },
];
