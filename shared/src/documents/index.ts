export * from './origins.js';
export * from './migrations.js';
export * from './kind.js';
export * from './board.js';
export * from './internal.js';
export * from './workspace.js';
export * from './proposal.js';
export * from './rich-text.js';
