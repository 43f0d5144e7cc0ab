/** What a person is told when the server undid one of their workflow changes, in the interface's language. */
import type { Department, WorkflowRefusal } from '@passerelle/shared';
import { t } from '#lib/i18n.svelte.js';
import { departmentList } from './board-format.js';

/** Why the change was refused: the department the person is not in, a locked sign-off, or the sign-offs missing before the stage. */
export function refusalMessage(refusal: WorkflowRefusal): string {
  if (refusal.reason === 'not_in_department' && refusal.department) {
    return t('signOff.refused.notMember', { department: t(`department.${refusal.department}`) });
  }
  if (refusal.reason === 'sign_off_locked' && refusal.department) {
    return t('gate.signOffLocked', { department: t(`department.${refusal.department}`) });
  }
  const departments = [...new Set((refusal.missing ?? []).flatMap((gate) => gate.departments))] as Department[];
  return t('gate.refused', { stage: refusal.target ? t(`stage.${refusal.target}`) : '', departments: departmentList(departments) });
}
