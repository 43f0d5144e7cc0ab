/** What the shared schemas promise for what is left out, as several suites expect it. */
import type { ProposalFields } from '../../shared/src/index.js';

/** The structured fields of a proposal nobody filled in: a submitted strategic partnership led by the SRI. */
export const PROPOSAL_FIELD_DEFAULTS: ProposalFields = {
  actionType: 'strategic_partnership',
  stage: 'submitted',
  leadDepartment: 'sri',
  contributors: [],
  partnerIds: [],
  agreementIds: [],
  priorities: [],
  policyObjectives: [],
  region: null,
  startDate: null,
  endDate: null,
  selectsStudents: false,
  templateId: null,
};
