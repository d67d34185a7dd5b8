/**
 * vitest global setup: ONE private stack per test run (`.stack/test-<pid>`,
 * so concurrent runs on one machine never share), migrated and seeded at
 * scale "small". Workers get the URLs through process.env (DATABASE_URL,
 * DATABASE_REPLICA_URL, REDIS_URL) and `inject('stackUrls')`. When the three
 * URLs are already set, those servers are used (and re-seeded); nothing is started.
 */
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { seedDatabase } from '../reference-app/db/seed.ts';
import { buildClient } from '../reference-app/client/build.ts';
import { startStack } from '../reference-app/rig/stack.ts';
import { sweepDeadStacks } from '../reference-app/rig/sweep.ts';
import type { StackUrls } from '../reference-app/rig/state.ts';
import { sweepDeadRuns } from '../toolkit/process/leftovers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test run's primary, replica and Redis. */
    stackUrls: StackUrls;
  }
}

const ROOT = join(import.meta.dirname, '..');
const log = (line: string): void => void process.stderr.write(`[global-setup] ${line}\n`);

/** Stacks and runs whose owner died (a crashed test run or loadtest): their processes stopped, their folders removed. */
async function sweepCrashedRuns(): Promise<void> {
  await sweepDeadRuns(ROOT, log);
  await sweepDeadStacks(ROOT, log);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  await sweepCrashedRuns();
  // Built once here (skipped when up to date) so that tests serving the client never build it concurrently.
  await buildClient({ log });
  const stack = await startStack({ name: `test-${process.pid}`, cwd: ROOT, env: process.env, log });
  try {
    const result = await seedDatabase({
      url: stack.urls.primary,
      replicaUrl: stack.urls.replica,
      scale: 'small',
      seed: 42,
    });
    log(
      `${stack.external ? 'servers from the environment' : `private stack ${stack.name}`} ready and seeded (${result.points} points) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } catch (err) {
    await stack.stop();
    throw err;
  }
  process.env.DATABASE_URL = stack.urls.primary;
  process.env.DATABASE_REPLICA_URL = stack.urls.replica;
  process.env.REDIS_URL = stack.urls.redis;
  project.provide('stackUrls', stack.urls);
  return async () => {
    await stack.stop();
  };
}
