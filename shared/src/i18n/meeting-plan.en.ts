/** English messages for this part; the French catalog (`meeting-plan.fr.ts`) has the same keys. */
export const enMeetingPlan = {
} as const;
