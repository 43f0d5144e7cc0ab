import type { TemplateAuditEventType } from '../access.js';

/** English names of the audit events of template changes (`/settings/audit`): one per type, checked by the compiler. */
const enTemplateAuditTypes: Record<`audit.type.${TemplateAuditEventType}`, string> = {
  'audit.type.template_copied': 'Proposal template copied',
  'audit.type.template_edited': 'Proposal template edited',
  'audit.type.template_deleted': 'Proposal template deleted',
};

/** English messages of proposal suggestions, limits, template audit and archives. Keys are shared with `proposal-polish.fr.ts`. */
export const enProposalPolish = {
  ...enTemplateAuditTypes,
  'audit.detail.template': 'template',
  'audit.detail.copiedFrom': 'copied from',
  'proposalPolish.paragraphBreak': ' (new paragraph) ',
  'proposalPolish.countIfAccepted': ', {count} if the suggestions are accepted',
} as const;
