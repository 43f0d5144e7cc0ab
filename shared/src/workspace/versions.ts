/**
 * The workspace's versions (`/api/workspace/versions...`): full states of the workspace document,
 * taken automatically after changes or named by a member, previewed read-only and restored by an
 * administrator as a new change. Their metadata is a board version's (`VersionSummary`).
 */
import type { Stored } from '../domain/collection.js';
import type { Agreement, MobilityFlow, MobilityTarget, Partner } from '../domain/records.js';
import type { VersionSummary } from '../versions.js';

/** `GET /api/workspace/versions/:versionId`: the workspace's records as they were in that version. */
export interface WorkspaceVersionView {
  version: VersionSummary;
  partners: Stored<Partner>[];
  agreements: Stored<Agreement>[];
  mobilities: Stored<MobilityFlow>[];
  targets: Stored<MobilityTarget>[];
}

/** `POST /api/workspace/versions/:versionId/restore` → what was restored, and the version of the state just before (to undo it). */
export interface WorkspaceRestoreResult {
  restored: VersionSummary;
  before: VersionSummary | null;
}
