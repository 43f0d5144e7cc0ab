export * from './protocol.js';
export * from './api.js';
export * from './ids.js';
export * from './board/index.js';
export * from './i18n/index.js';
export * from './presence.js';
export * from './domain/index.js';
export * from './workspace/index.js';
