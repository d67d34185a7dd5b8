/** The private stack: PostgreSQL primary + streaming replica + Redis, and the processes attached to it. */
export { attachStack, readStackState, resolveDatabaseUrls, startStack, stopStack } from './stack.ts';
export type { StackHandle, StackOptions } from './stack.ts';
export { findPostgresBinaries, findRedisServer } from './binaries.ts';
export { queryOnce, redisPing, replicationLag, waitForReplay } from './health.ts';
export type { ReplicationLag } from './health.ts';
export type { StackStatus, ServiceStatus } from './control.ts';
export type { ServiceName, StackState, StackUrls } from './state.ts';
