export * from './template.js';
export * from './templates.js';
export * from './workspace-templates.js';
export * from './progress-events.js';
