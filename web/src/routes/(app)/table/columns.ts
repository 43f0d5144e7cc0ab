/**
 * The columns of each record type in the table view. A column says how to read a value for sorting
 * and filtering, how to show it, and, for closed lists (enums), which values exist in which order.
 */
import {
  AgreementStatus,
  AgreementType,
  MobilityDirection,
  MobilityPopulation,
  MobilityPurpose,
  PartnerKind,
  StudyCycle,
  WORLD_REGIONS,
  type MessageKey,
} from '@passerelle/shared';
import { formatNumber } from '$lib/components/WorkspaceFormat.js';
import { t } from '$lib/i18n.svelte.js';
import { workspace } from '$lib/workspace.svelte.js';

/** The record types the table can show. */
export const RECORD_TYPES = ['partners', 'agreements', 'flows', 'targets'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export type Row = Record<string, unknown> & { id: string };

export interface Column {
  key: string;
  label: MessageKey;
  kind: 'text' | 'number' | 'enum';
  /** The raw value: an enum value, a number or a text; null when unset. */
  value: (row: Row) => string | number | null;
  /** For enums: the values in their natural order (a year list is built from the rows). */
  options?: readonly string[];
  /** How a value is shown; defaults to the value itself (numbers in the person's locale). */
  format?: (value: string | number) => string;
}

const field = (name: string) => (row: Row) => {
  const value = row[name];
  return typeof value === 'string' || typeof value === 'number' ? value : null;
};
const label = (prefix: string) => (value: string | number) => t(`${prefix}.${value}` as MessageKey);
const partnerName = (row: Row) => {
  const id = row.partnerId;
  return typeof id === 'string' ? (workspace.partner(id)?.name ?? null) : null;
};

export const COLUMNS: Record<RecordType, Column[]> = {
  partners: [
    { key: 'name', label: 'ws.partner.name', kind: 'text', value: field('name') },
    { key: 'localName', label: 'ws.partner.localName', kind: 'text', value: field('localName') },
    { key: 'kind', label: 'ws.partner.kind', kind: 'enum', value: field('kind'), options: PartnerKind.options, format: label('partnerKind') },
    { key: 'region', label: 'ws.partner.region', kind: 'enum', value: field('region'), options: WORLD_REGIONS, format: label('region') },
    { key: 'country', label: 'ws.partner.country', kind: 'enum', value: field('country') },
    { key: 'city', label: 'ws.partner.city', kind: 'text', value: field('city') },
    { key: 'specialties', label: 'ws.partner.specialties', kind: 'text', value: (row) => (row.specialties as string[]).join(', ') || null },
    { key: 'agreements', label: 'ws.agreements.title', kind: 'number', value: (row) => workspace.agreements.filter((a) => a.partnerId === row.id).length },
  ],
  agreements: [
    { key: 'title', label: 'ws.agreement.title', kind: 'text', value: field('title') },
    { key: 'partner', label: 'ws.agreement.partner', kind: 'text', value: partnerName },
    { key: 'type', label: 'ws.agreement.type', kind: 'enum', value: field('type'), options: AgreementType.options, format: label('agreementType') },
    { key: 'status', label: 'ws.agreement.status', kind: 'enum', value: field('status'), options: AgreementStatus.options, format: label('agreementStatus') },
    { key: 'fromYear', label: 'ws.agreement.fromYear', kind: 'enum', value: field('fromYear') },
    { key: 'toYear', label: 'ws.agreement.toYear', kind: 'enum', value: field('toYear') },
    { key: 'conditions', label: 'ws.conditions.title', kind: 'number', value: (row) => (row.conditions as unknown[]).length },
  ],
  flows: [
    { key: 'academicYear', label: 'ws.flow.academicYear', kind: 'enum', value: field('academicYear') },
    { key: 'direction', label: 'ws.flow.direction', kind: 'enum', value: field('direction'), options: MobilityDirection.options, format: label('direction') },
    { key: 'population', label: 'ws.flow.population', kind: 'enum', value: field('population'), options: MobilityPopulation.options, format: label('population') },
    { key: 'purpose', label: 'ws.flow.purpose', kind: 'enum', value: field('purpose'), options: MobilityPurpose.options, format: label('purpose') },
    { key: 'cycle', label: 'ws.flow.cycle', kind: 'enum', value: field('cycle'), options: StudyCycle.options, format: label('cycle') },
    { key: 'studyYear', label: 'ws.flow.studyYear', kind: 'number', value: field('studyYear') },
    { key: 'partner', label: 'ws.flow.partner', kind: 'text', value: partnerName },
    { key: 'planned', label: 'ws.flow.planned', kind: 'number', value: field('planned') },
    { key: 'realised', label: 'ws.flow.realised', kind: 'number', value: field('realised') },
  ],
  targets: [
    { key: 'academicYear', label: 'ws.flow.academicYear', kind: 'enum', value: field('academicYear') },
    { key: 'direction', label: 'ws.flow.direction', kind: 'enum', value: field('direction'), options: MobilityDirection.options, format: label('direction') },
    { key: 'population', label: 'ws.flow.population', kind: 'enum', value: field('population'), options: MobilityPopulation.options, format: label('population') },
    { key: 'purpose', label: 'ws.flow.purpose', kind: 'enum', value: field('purpose'), options: MobilityPurpose.options, format: label('purpose') },
    { key: 'target', label: 'ws.target.target', kind: 'number', value: field('target') },
  ],
};

/** A value as shown in a cell. */
export function display(column: Column, value: string | number | null): string {
  if (value === null || value === '') return '–';
  if (column.format) return column.format(value);
  return typeof value === 'number' ? formatNumber(value) : value;
}

/** The rows of a record type, from the live workspace. */
export function rowsOf(type: RecordType): Row[] {
  const records = { partners: workspace.partners, agreements: workspace.agreements, flows: workspace.mobilities, targets: workspace.targets }[type];
  return records as unknown as Row[];
}

/** Where a record of this type is shown in full. */
export function hrefOf(type: RecordType, row: Row): string {
  if (type === 'partners') return `/partners#partner-${row.id}`;
  if (type === 'agreements') return `/partners#agreement-${row.id}`;
  return type === 'flows' ? `/mobility#flow-${row.id}` : '/mobility';
}
