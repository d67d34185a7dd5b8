/**
 * The whole reference app for browser tests: PostgreSQL primary + replica and
 * Redis (a private stack, migrated and seeded, unless DATABASE_URL,
 * DATABASE_REPLICA_URL and REDIS_URL name seeded servers, as vitest's global
 * setup does), the stub upstream, and the real server serving the built client.
 */

/** A seeded account (API.md). Business 17 of the "small" seed: tests that write data use their own business. */
export const E2E_ACCOUNT = { email: 'owner@business-17.example', password: 'perfkit-demo' } as const;
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack } from '../../rig/stack.ts';
import type { StackHandle } from '../../rig/stack.ts';
import { migrate } from '../../db/migrate.ts';
import { seedDatabase } from '../../db/seed.ts';
import { start } from '../../server/app.ts';
import type { RunningApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { startUpstream } from '../../server/upstream/stub-server.ts';
import type { UpstreamHandle } from '../../server/upstream/stub-server.ts';
import { buildClient } from '../build.ts';

export interface FullApp {
  url: string;
  /** The folder the server serves the client from: a private copy of dist/, free to modify. */
  staticDir: string;
  server: RunningApp;
  stack: StackHandle;
  upstream: UpstreamHandle;
  /** Stops the app server only (the network "cut" for offline tests). */
  stopServer(): Promise<void>;
  /** Starts one more app server on the same stack serving another client build (stopped by close()). */
  serveAnother(staticDir: string): Promise<RunningApp>;
  close(): Promise<void>;
}

export async function startFullApp(
  env: Record<string, string | undefined>,
  log: (line: string) => void = () => undefined,
): Promise<FullApp> {
  const { outDir } = await buildClient({ log });
  const stack = await startStack({ name: `e2e-client-${process.pid}`, env, log });
  let upstream: UpstreamHandle | undefined;
  // Tests may change the served files (a "new deploy"); they change a copy, never the build.
  const staticDir = mkdtempSync(path.join(os.tmpdir(), 'perfkit-client-'));
  try {
    cpSync(outDir, staticDir, { recursive: true });
    // Servers given by the environment (vitest's global setup) are already seeded and
    // shared with other tests: re-seeding would truncate their data under them.
    if (!stack.external) {
      await migrate(stack.urls.primary);
      await seedDatabase({ url: stack.urls.primary, replicaUrl: stack.urls.replica, scale: 'small', log });
    }
    upstream = await startUpstream();
    const upstreamUrl = upstream.url;
    const configFor = (dir: string) =>
      loadConfig({
        PORT: '0',
        DATABASE_URL: stack.urls.primary,
        DATABASE_REPLICA_URL: stack.urls.replica,
        REDIS_URL: stack.urls.redis,
        UPSTREAM_URL: upstreamUrl,
        STATIC_DIR: dir,
        LOG_LEVEL: 'warn',
      });
    const server = await start(configFor(staticDir));
    const others: RunningApp[] = [];
    let serverStopped = false;
    const stopServer = async () => {
      if (serverStopped) return;
      serverStopped = true;
      await server.stop();
    };
    const up = upstream;
    return {
      url: server.url,
      staticDir,
      server,
      stack,
      upstream: up,
      stopServer,
      serveAnother: async (dir) => {
        const other = await start(configFor(dir));
        others.push(other);
        return other;
      },
      close: async () => {
        for (const other of others.splice(0)) await other.stop();
        await stopServer();
        await up.stop();
        await stack.stop();
        rmSync(staticDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await upstream?.stop();
    await stack.stop();
    rmSync(staticDir, { recursive: true, force: true });
    throw err;
  }
}
