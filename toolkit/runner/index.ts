/**
 * The built-in engine: runs a k6 script on worker-thread VUs and returns k6-core's
 * RunOutcome. toolkit/engines.ts chooses between it and real k6.
 */
export { runBuiltin } from './engine.ts';
export { readScriptOptions } from './read-options.ts';
