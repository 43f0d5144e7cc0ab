export * from './schema.js';
export * from './order.js';
export * from './migrations.js';
export * from './internal.js';
export * from './coverage.js';
export * from './roadmap-dependencies.js';
export * from './first-screen.js';
