export * from './template.js';
export * from './templates.js';
