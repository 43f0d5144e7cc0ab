/** Who may change which workspace record (`shared/src/workspace/permissions.ts`), rule by rule. */
import { describe, expect, it } from 'vitest';
import { canChangeSomeWorkspaceRecord, canChangeWorkspaceRecord, ownersAvailableTo, type RecordEditor } from '@passerelle/shared';

const member = (capabilities: string[] = [], departments: string[] = []): RecordEditor => ({ kind: 'member', capabilities, departments });
const guest: RecordEditor = { kind: 'guest', capabilities: ['admin'], departments: ['studies'] };
const studiesFigure = { academicYear: '2026/2027', department: 'studies' };
const schoolFigure = { academicYear: '2026/2027', department: null };

describe('workspace record rules', () => {
  it('gives partners and agreements to agreements managers and administrators only', () => {
    for (const kind of ['partner', 'agreement'] as const) {
      expect(canChangeWorkspaceRecord(member(['agreements_manager']), kind, { name: 'Porto' })).toBe(true);
      expect(canChangeWorkspaceRecord(member(['admin']), kind, { name: 'Porto' })).toBe(true);
      expect(canChangeWorkspaceRecord(member([], ['sri', 'studies']), kind, { name: 'Porto' })).toBe(false);
      expect(canChangeWorkspaceRecord(guest, kind, null)).toBe(false);
    }
  });

  it('gives a mobility figure to the department that owns it, and the school’s figures to agreements managers', () => {
    for (const kind of ['mobility', 'target'] as const) {
      expect(canChangeWorkspaceRecord(member([], ['studies']), kind, studiesFigure)).toBe(true);
      expect(canChangeWorkspaceRecord(member([], ['research']), kind, studiesFigure)).toBe(false);
      expect(canChangeWorkspaceRecord(member(['agreements_manager']), kind, studiesFigure)).toBe(false);
      expect(canChangeWorkspaceRecord(member(['agreements_manager']), kind, schoolFigure)).toBe(true);
      expect(canChangeWorkspaceRecord(member([], ['studies']), kind, schoolFigure)).toBe(false);
      expect(canChangeWorkspaceRecord(member(['admin']), kind, studiesFigure)).toBe(true);
      // An owner this version does not know is nobody's department.
      expect(canChangeWorkspaceRecord(member([], ['studies']), kind, { department: 'elsewhere' })).toBe(false);
    }
  });

  it('leaves a member who may change no record reading, and never lets a guest change one', () => {
    expect(canChangeSomeWorkspaceRecord(member())).toBe(false);
    expect(canChangeSomeWorkspaceRecord(member([], ['research']))).toBe(true);
    expect(canChangeSomeWorkspaceRecord(member(['agreements_manager']))).toBe(true);
    expect(canChangeSomeWorkspaceRecord(guest)).toBe(false);
  });

  it('offers a department its own departments as owners of a new figure', () => {
    expect(ownersAvailableTo(member([], ['research', 'studies']), 'mobility').sort()).toEqual(['research', 'studies']);
    expect(ownersAvailableTo(member(['agreements_manager']), 'target')).toEqual([]);
    expect(ownersAvailableTo(member(['admin']), 'target')).toHaveLength(6);
  });
});
