/** Generic process helpers: free ports, managed child processes, exit hooks, pids, finding executables. */
export { freePort, isPortFree } from './ports.ts';
export { spawnManaged } from './managed.ts';
export type { ManagedOptions, ManagedProcess } from './managed.ts';
export { onExit } from './exit-hooks.ts';
export { descendantPids, isAlive, runs, runTool, signal, tail, waitForExit } from './processes.ts';
export type { RunAs, ToolResult } from './processes.ts';
export { isExecutable, which } from './which.ts';
