/**
 * The reference rig: runs the reference app for a measurement. A target
 * provider for the toolkit (referenceRig), its doctor checks and system
 * packages, and the private stack (PostgreSQL primary + streaming replica +
 * Redis, shards, nginx, pgbouncer) with the processes attached to it.
 */
export { referenceRig } from './provider.ts';
export { rigDoctor } from './doctor.ts';
export { rigPackages, rigSetupPackages } from './packages.ts';
export { readStackState, startStack, stopStack } from './stack.ts';
export type { StackHandle, StackOptions } from './stack.ts';
export { attachStack } from './stack-handle.ts';
export { resolveDatabaseUrls } from './database-urls.ts';
export { findPostgresBinaries, findRedisServer } from './binaries.ts';
export { queryOnce, redisPing, replicationLag, waitForReplay } from './health.ts';
export type { ReplicationLag } from './health.ts';
export type { StackStatus, ServiceStatus } from './control.ts';
export type { ServiceName, StackState, StackUrls } from './state.ts';
