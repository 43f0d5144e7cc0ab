import { Agreement, MobilityFlow, MobilityTarget, Partner, RECORD_FIELD_LABELS, recordFieldLabel, translate, WorkspaceRecordKind } from '@passerelle/shared';
import { describe, expect, it } from 'vitest';

const SCHEMAS = { partner: Partner, agreement: Agreement, mobility: MobilityFlow, target: MobilityTarget } as const;

describe('the names of workspace records’ fields', () => {
  it.each(WorkspaceRecordKind.options)('names every stored field of a %s, and nothing it does not have', (kind) => {
    const fields = Object.keys(SCHEMAS[kind].shape).filter((field) => field !== 'id');
    expect(Object.keys(RECORD_FIELD_LABELS[kind]).sort()).toEqual(fields.sort());
  });

  it('reads as its form’s label in each language, and leaves a field it does not know as it is', () => {
    expect(translate('fr', recordFieldLabel('partner', 'city')!)).toBe('Ville');
    expect(translate('en', recordFieldLabel('mobility', 'department')!)).toBe(translate('en', 'records.owner'));
    expect(recordFieldLabel('partner', 'toString')).toBeNull();
    expect(recordFieldLabel('target', 'planned')).toBeNull();
  });
});
