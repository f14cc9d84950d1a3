// The package entry point for applications that embed SSM: the check engine over the same store.
export * from './check/index.js';
export { openStore } from './store/open.js';
export type { Store } from './store/port.js';
