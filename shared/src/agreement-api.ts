/** The agreements API: the workspace's agreements in brief, and a partner's IIA compared with ours. */
import { z } from 'zod';
import type { Agreement } from './domain/records.js';
import type { AgreementApproval } from './domain/agreement-terms.js';
import type { Iia } from './domain/iia.js';
import type { IiaComparisonRow } from './domain/iia-compare.js';
import type { AgreementStatus, AgreementType } from './domain/vocabulary.js';

/** One agreement of `GET /api/agreements`. */
export interface AgreementSummary {
  id: string;
  title: string;
  partner: { id: string; name: string } | null;
  type: AgreementType;
  status: AgreementStatus;
  fromYear: string | null;
  toYear: string | null;
  approval: AgreementApproval;
}

export interface AgreementListResponse {
  agreements: AgreementSummary[];
}

/** Largest IIA file read for a comparison: a real one holds a few dozen mobilities, well under this. */
export const MAX_IIA_XML_CHARS = 512 * 1024;

/** `POST /api/agreements/:agreementId/iia-compare`: a partner's IIA get response, as text. */
export const IiaCompareRequest = z.object({ xml: z.string().max(MAX_IIA_XML_CHARS, 'ewp.import.tooLarge') });
export type IiaCompareRequest = z.infer<typeof IiaCompareRequest>;

/** The agreement fields applying the partner's IIA would set. */
export type IiaAgreementPatch = Pick<Agreement, 'partnerSide' | 'conditions' | 'terminatedAsAWhole' | 'fromYear' | 'toYear'>;

/** Ours and theirs field by field, and what applying theirs would write; nothing is written by the comparison. */
export interface IiaCompareResponse {
  ours: Iia;
  theirs: Iia;
  rows: IiaComparisonRow[];
  patch: IiaAgreementPatch;
}
