export * from './schema.js';
export * from './permissions.js';
export * from './record-history.js';
export * from './versions.js';
export * from './record-fields.js';
