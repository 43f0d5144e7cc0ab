import type { WorkspaceVersionAuditEventType } from '../access.js';

/** The audit log's names of the workspace versions' event types. */
const enWorkspaceVersionAuditTypes: Record<`audit.type.${WorkspaceVersionAuditEventType}`, string> = {
  'audit.type.workspace_version_restored': 'Workspace records restored to a version',
};

/** English messages for this part; the French catalog (`workspace-versions.fr.ts`) has the same keys. */
export const enWorkspaceVersions = {
  ...enWorkspaceVersionAuditTypes,
  'workspaceVersions.open': 'Versions',
  'workspaceVersions.title': 'Versions of the records',
  'workspaceVersions.close': 'Close',
  'workspaceVersions.intro': 'Partners, agreements and mobility figures are saved automatically after changes, at most every ten minutes. Name a version to find it easily.',
  'workspaceVersions.name.label': 'Name of the current version',
  'workspaceVersions.name.placeholder': 'e.g. Before the call for applications',
  'workspaceVersions.name.submit': 'Name this version',
  'workspaceVersions.name.saved': 'Version “{name}” saved.',
  'workspaceVersions.list.empty': 'No version yet: one is taken automatically a few minutes after the first change.',
  'workspaceVersions.list.loading': 'Loading versions…',
  'workspaceVersions.kind.auto': 'Automatic',
  'workspaceVersions.by': 'by {name}',
  'workspaceVersions.editors': 'Changes by {names}',
  'workspaceVersions.view': 'View',
  'workspaceVersions.restore': 'Restore',
  'workspaceVersions.restore.confirm': 'Restore the partners, agreements and mobility figures as they were on {at}? Every department’s figures change for everyone; the current state is kept as a version first, and each record’s history shows the change.',
  'workspaceVersions.restore.done': 'The records were restored to the version of {at}.',
  'workspaceVersions.restore.adminOnly': 'Only administrators restore a version: it changes every department’s figures.',
  'workspaceVersions.preview.title': 'Version of {at}',
  'workspaceVersions.preview.readOnly': 'Read only: this is how the records were.',
  'workspaceVersions.preview.back': 'Back to the list',
  'workspaceVersions.preview.partners': 'Partners ({count})',
  'workspaceVersions.preview.agreements': 'Agreements ({count})',
  'workspaceVersions.preview.mobilities': 'Mobility flows ({count})',
  'workspaceVersions.preview.targets': 'Targets ({count})',
  'workspaceVersions.preview.none': 'None',
  'workspaceVersions.limit.named': 'The workspace keeps at most {max} named versions. An administrator can delete one it no longer needs.',
  'workspaceVersions.limit.bytes': 'The workspace’s versions take at most {max} MB together, and its named versions leave no room for this one.',
  'workspaceRefusal.readOnly': 'Your change was not kept: you may only read the partners, agreements and mobility figures. The page shows them as they are.',
  'workspaceRefusal.why.agreements': 'Your change to {records} was not kept: only agreements managers and administrators change partners and agreements.',
  'workspaceRefusal.why.figures': 'Your change to {records} was not kept: a mobility figure is changed by the department that owns it, and the school’s own figures by the agreements managers.',
  'workspaceRefusal.settings': 'Your change to the workspace settings was not kept: only administrators and agreements managers change them.',
  'workspaceRefusal.kind.partner': 'the partner “{name}”',
  'workspaceRefusal.kind.agreement': 'the agreement “{name}”',
  'workspaceRefusal.kind.mobility': 'the mobility flow of {name}',
  'workspaceRefusal.kind.target': 'the target of {name}',
} as const;
