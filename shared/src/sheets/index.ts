export * from './columns.js';
export * from './workspace-sheets.js';
export * from './board-sheets.js';
export * from './sheet.js';
export * from './import-plan.js';
export * from './sheets-api.js';
export * from './trello.js';
