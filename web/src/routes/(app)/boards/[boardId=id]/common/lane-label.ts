import type { ActionType, Department } from '@passerelle/shared';
import { t } from '#lib/i18n.svelte.js';
import { NOTES_LANE, type LaneField } from './lanes.js';

/** A lane's heading in the person's language (the one lane of a view without lanes has none). */
export function laneLabel(field: LaneField, key: string): string {
  if (field === 'none') return '';
  if (key === NOTES_LANE) return t('lanes.notes');
  return field === 'actionType' ? t(`actionType.${key as ActionType}`) : t(`department.${key as Department}`);
}
