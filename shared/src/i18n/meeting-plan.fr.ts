import type { enMeetingPlan } from './meeting-plan.en.js';

/** Messages français : mêmes clés que `meeting-plan.en.ts`. */
export const frMeetingPlan: Record<keyof typeof enMeetingPlan, string> = {
};
