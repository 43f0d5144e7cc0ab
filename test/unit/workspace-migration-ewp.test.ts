/** Workspace schema version 2: agreements written by version 1 open with their conditions in the EWP v7 terms. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CooperationCondition, migrateWorkspace, WorkspaceDoc, workspaceMigrations } from '../../shared/src/index.js';
import { countUpdates } from '../helpers/observe.js';

/** A workspace document as version 1 wrote it: an agreement whose conditions have one ISCED-F code, one language and a duration per mobility. */
function versionOneWorkspace(): { update: Uint8Array; agreementId: string } {
  const doc = new Y.Doc();
  doc.getMap('meta').set('schemaVersion', 1);
  const fields = new Y.Map<unknown>();
  doc.getMap('agreements').set('a1', fields);
  fields.set('title', 'Erasmus+ Porto');
  fields.set('type', 'inter_institutional_mobility');
  fields.set('status', 'active');
  fields.set('fromYear', '2021/2022');
  fields.set('toYear', '2027/2028');
  fields.set('conditions', [
    { direction: 'both', kind: 'student_study', mobilitiesPerYear: 2, duration: 5, durationUnit: 'months', iscedF: '0711', eqfLevels: [7], language: 'en', cefr: 'B2' },
    { direction: 'outgoing', kind: 'staff_teaching', mobilitiesPerYear: 2, duration: 5, durationUnit: 'days', iscedF: null, eqfLevels: [], language: 'fr', cefr: null },
    { direction: 'incoming', kind: 'staff_training', mobilitiesPerYear: 1, duration: 1, durationUnit: 'months', iscedF: null, eqfLevels: [], language: null, cefr: null },
  ]);
  return { update: Y.encodeStateAsUpdate(doc), agreementId: 'a1' };
}

describe('workspace migration 2 (EWP v7 agreement terms)', () => {
  it('opens a version 1 agreement with its ISCED-F code, language and durations carried into the new terms', () => {
    const { update, agreementId } = versionOneWorkspace();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    expect(migrateWorkspace(doc, 'load')).toEqual({ from: 1, to: 2 });

    const stored = (doc.getMap('agreements').get(agreementId) as Y.Map<unknown>).get('conditions') as Record<string, unknown>[];
    expect(stored[0]).not.toHaveProperty('iscedF');
    const agreement = new WorkspaceDoc(doc).agreements.get(agreementId)!;
    expect(agreement.title).toBe('Erasmus+ Porto');
    expect(agreement.conditions[0]).toMatchObject({
      direction: 'both',
      kind: 'student_study',
      mobilitiesPerYear: 2,
      totalPerYear: 10,
      subjectAreas: [{ iscedF: '0711', clarification: '' }],
      languageSkills: [{ language: 'en', cefr: 'B2', subjectArea: null }],
      eqfLevels: [7],
      blended: false,
    });
    expect(agreement.conditions[1]).toMatchObject({ kind: 'staff_teaching', totalPerYear: 10, subjectAreas: [], languageSkills: [{ language: 'fr', cefr: null }] });
    // Staff count days: one month per mobility becomes 30 days.
    expect(agreement.conditions[2]).toMatchObject({ kind: 'staff_training', totalPerYear: 30, languageSkills: [] });
    expect(agreement.ourSide).toEqual({ iiaId: null, iiaCode: '', ounitId: null, signingPerson: null, signingDate: null, contacts: [] });
    expect(agreement.approval).toBe('none');
    expect(agreement.terminatedAsAWhole).toBe(false);
  });

  it('is idempotent: two replicas migrating the same stored document converge, and a second run writes nothing', () => {
    const { update, agreementId } = versionOneWorkspace();
    const [left, right] = [new Y.Doc(), new Y.Doc()];
    Y.applyUpdate(left, update);
    Y.applyUpdate(right, update);
    migrateWorkspace(left, 'load');
    migrateWorkspace(right, 'load');
    Y.applyUpdate(left, Y.encodeStateAsUpdate(right));
    Y.applyUpdate(right, Y.encodeStateAsUpdate(left));
    expect(new WorkspaceDoc(left).agreements.get(agreementId)).toEqual(new WorkspaceDoc(right).agreements.get(agreementId));
    const updates = countUpdates(left);
    workspaceMigrations[1]!.up(new WorkspaceDoc(left));
    expect(updates()).toBe(0);
  });

  it('still reads a condition an older client writes after the migration', () => {
    const legacy = { direction: 'incoming', kind: 'student_traineeship', mobilitiesPerYear: 3, duration: 4, durationUnit: 'months', iscedF: '0531', language: 'de', cefr: 'B1' };
    expect(CooperationCondition.parse(legacy)).toMatchObject({ totalPerYear: 12, subjectAreas: [{ iscedF: '0531' }], languageSkills: [{ language: 'de', cefr: 'B1' }] });
  });
});
