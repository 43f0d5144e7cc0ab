export { WorkspaceArchiver, ArchiveError, parseArchive, decodeDocuments, type WorkspaceArchiverOptions } from './archive.js';
export { restoreDocument, reconcileMap, reconcileText, rootKindOf } from './restore.js';
export { createVersionRouter, DEFAULT_MAX_ARCHIVE_BYTES, type VersionRouterOptions } from './router.js';
export { RedisVersionStore, type RedisVersionStoreOptions } from './redis-version-store.js';
export { SqliteVersionStore } from './sqlite-version-store.js';
export {
  VersionService,
  DEFAULT_AUTO_INTERVAL_MS,
  DEFAULT_KEEP_AUTO,
  DEFAULT_MAX_NAMED_PER_BOARD,
  DEFAULT_MAX_VERSION_BYTES_PER_BOARD,
  type VersionServiceOptions,
} from './version-service.js';
export { MemoryVersionStore, VersionLimitError, WORKSPACE_TARGET, WORKSPACE_VERSIONS_OWNER, summaryOf, type StoredVersion, type VersionLimits, type VersionStore } from './version-store.js';
export { openVersion, viewOf, type OpenedVersion } from './version-view.js';
export { WorkspaceVersionService, restoreRecords, type WorkspaceVersionServiceOptions } from './workspace-version-service.js';
export { createWorkspaceVersionsRouter, type WorkspaceVersionsRouterOptions } from './workspace-versions-router.js';
