/**
 * Version history of a proposal ("sent to partners", "submitted to the agency"): request bodies
 * (zod, validated at the server's edge) and response shapes of
 * `/api/boards/:boardId/proposals/:cardId/versions...`. A proposal's version holds both of its
 * documents (the shared sections and the internal ones) as they were at one instant, so that
 * restoring it brings both back together; a partner guest is only ever served the shared side.
 */
import { z } from 'zod';
import { Locale } from './api.js';
import type { RichBlock } from './documents/rich-text.js';
import type { SectionOwner, SectionStatus } from './documents/proposal.js';
import type { TextChange } from './documents/text-diff.js';
import { isId } from './ids.js';
import { VersionName, VersionSummary } from './versions.js';

/** A proposal's version as listed (`GET .../versions` → `{ versions: ProposalVersionSummary[] }`, newest first). */
export const ProposalVersionSummary = VersionSummary.extend({
  /** The proposal card the version is of. */
  cardId: z.string(),
});
export type ProposalVersionSummary = z.infer<typeof ProposalVersionSummary>;

/** `POST .../versions {name}` → 201 `ProposalVersionSummary`: names the proposal's current state. */
export const CreateProposalVersionRequest = z.object({ name: VersionName });
export type CreateProposalVersionRequest = z.infer<typeof CreateProposalVersionRequest>;

/** A section of a past version, read only: its settings then and its two texts as rich blocks. */
export interface ProposalVersionSection {
  id: string;
  order: number;
  /** An internal section (members only; never in a guest's answer). */
  internal: boolean;
  title: { fr: string; en: string };
  status: SectionStatus;
  owner: SectionOwner | null;
  dueDate: string | null;
  texts: { fr: RichBlock[]; en: RichBlock[] };
}

/** `GET .../versions/:versionId`: the proposal as it was, its sections in the template's order. */
export interface ProposalVersionView {
  version: ProposalVersionSummary;
  /** The proposal card's title now (the card is the board's, not the version's). */
  title: string;
  sections: ProposalVersionSection[];
}

/** What a comparison names for "the proposal as it is now" instead of a version's id. */
export const CURRENT_PROPOSAL_STATE = 'current';

/** One side of a comparison: a version's id, or `current`. */
export const ProposalVersionRef = z.union([z.literal(CURRENT_PROPOSAL_STATE), z.string().refine(isId)]);
export type ProposalVersionRef = z.infer<typeof ProposalVersionRef>;

/** `GET .../versions/compare?from=&to=&sectionId=&lang=`: one section's text in one language, from one state to another. */
export const ProposalVersionCompareQuery = z.object({
  from: ProposalVersionRef,
  to: ProposalVersionRef,
  sectionId: z.string().min(1).max(60),
  lang: Locale,
});
export type ProposalVersionCompareQuery = z.infer<typeof ProposalVersionCompareQuery>;

/** The answer of a comparison: the changes that turn the `from` text into the `to` text, word by word. */
export interface ProposalVersionComparison {
  sectionId: string;
  language: Locale;
  /** The section's title (as the newer side has it). */
  title: { fr: string; en: string };
  /** The versions compared; null for the current state. */
  from: ProposalVersionSummary | null;
  to: ProposalVersionSummary | null;
  changes: TextChange[];
}

/** `POST .../versions/:versionId/restore` → what was restored. */
export interface ProposalRestoreResult {
  restored: ProposalVersionSummary;
  /** The version of the state just before the restore (automatic), so the restore itself can be undone; null when the latest version already held it. */
  before: ProposalVersionSummary | null;
}
