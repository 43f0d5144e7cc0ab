export * from './vocabulary.js';
export * from './identifiers.js';
export * from './workflow.js';
export * from './double-degree.js';
export * from './records.js';
export * from './collection.js';
export * from './agreement-terms.js';
