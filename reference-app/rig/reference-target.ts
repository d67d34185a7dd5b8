/**
 * The reference app as a Target: the client built if its sources changed, a
 * private stack (PostgreSQL primary + replica, optional shards, nginx,
 * pgbouncer, Redis), the seed, the stub upstream and the app's instances; all
 * stopped again by the target's stop().
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { freePort } from '../../toolkit/process/ports.ts';
import type { ManagedProcess } from '../../toolkit/process/managed.ts';
import type { Target, TargetAuth, TargetPage } from '../../toolkit/target/index.ts';
import { REFERENCE_APP, runStep, tsx } from './app-commands.ts';
import type { RigOptions } from './options.ts';
import { databaseServers, referenceSamplers } from './samplers.ts';
import { resetStatements } from './database-sampler.ts';
import { startStack, type StackHandle } from './stack.ts';

/** What one start of the reference app needs. */
export interface ReferenceTargetContext {
  root: string;
  env: Record<string, string | undefined>;
  log: (line: string) => void;
  signal?: AbortSignal;
  options: RigOptions;
  /** Database shard primaries of this start (a comparison starts several). */
  shards: number;
  /** Pages the browser opens and how it logs in. */
  pages: TargetPage[];
  auth?: TargetAuth | undefined;
  /** What results.json records about this run of the app (instances, seed scale…). */
  settings: Record<string, unknown>;
}

/** DATABASE_SHARD_URLS for the seed and the app when the stack has extra shards. */
function shardEnv(stack: StackHandle): Record<string, string> {
  return stack.urls.shards?.length ? { DATABASE_SHARD_URLS: stack.urls.shards.join(',') } : {};
}

/** The app's environment on this stack. */
function appEnv(
  ctx: ReferenceTargetContext,
  stack: StackHandle,
  upstreamPort: number,
  base: Record<string, string | undefined>,
  performanceToken: string,
) {
  return {
    ...base,
    DATABASE_URL: stack.urls.primaryPooled ?? stack.urls.primary,
    DATABASE_REPLICA_URL: stack.urls.replica,
    REDIS_URL: stack.urls.redis,
    UPSTREAM_URL: `http://127.0.0.1:${upstreamPort}`,
    PERFORMANCE_TOKEN: performanceToken,
    // Behind nginx every request comes from 127.0.0.1: the app takes the client address from nginx instead.
    ...(stack.edge?.appPorts ? { TRUST_PROXY: 'loopback' } : {}),
    STATIC_DIR: path.join(ctx.root, REFERENCE_APP.clientDist),
    ...shardEnv(stack),
    // With pgbouncer the app's shard pools go through it too (the seed keeps the direct URLs).
    ...(stack.edge?.shardsPooled ? { DATABASE_SHARD_URLS: stack.edge.shardsPooled.join(',') } : {}),
  };
}

async function startServices(
  ctx: ReferenceTargetContext,
  stack: StackHandle,
  performanceToken: string,
): Promise<{ baseUrl: string; upstream: ManagedProcess; apps: ManagedProcess[] }> {
  const { autoscale, instances } = ctx.options;
  const base = { PATH: ctx.env.PATH, HOME: ctx.env.HOME, NODE_ENV: 'production', LOG_LEVEL: 'warn' };
  const upstreamPort = await freePort();
  const upstream = await stack.spawnManaged({
    name: 'upstream',
    command: tsx(ctx.root),
    args: [...REFERENCE_APP.upstream(upstreamPort)],
    cwd: ctx.root,
    env: base,
    readyUrl: `http://127.0.0.1:${upstreamPort}/`,
    logFile: path.join(stack.dir ?? ctx.root, 'upstream.log'),
  });
  // Behind nginx: one single-instance app per upstream port nginx balances; else one node:cluster on one port.
  const appPorts = stack.edge?.appPorts ?? [await freePort({ avoid: [upstreamPort] })];
  const perApp = stack.edge?.appPorts ? 1 : instances;
  const apps: ManagedProcess[] = [];
  // One at a time: each start rewrites the stack's state file.
  for (const [i, appPort] of appPorts.entries())
    apps.push(
      await stack.spawnManaged({
        name: appPorts.length > 1 ? `app-${i + 1}` : 'app',
        command: tsx(ctx.root),
        args: [...REFERENCE_APP.app(appPort, perApp, autoscale)],
        cwd: ctx.root,
        env: appEnv(ctx, stack, upstreamPort, base, performanceToken),
        // The app prints {"url","port","instances","pids"} once every instance listens; /readyz would pass with the first.
        readyLog: new RegExp(`"instances":\\s*${autoscale?.min ?? perApp}\\b`),
        readyTimeoutMs: 60_000,
        logFile: path.join(stack.dir ?? ctx.root, appPorts.length > 1 ? `app-${i + 1}.log` : 'app.log'),
      }),
    );
  return { baseUrl: stack.urls.web ?? `http://127.0.0.1:${appPorts[0] ?? 0}`, upstream, apps };
}

/** The private stack for one start, with nginx / pgbouncer / shards as the options ask. */
function startRigStack(ctx: ReferenceTargetContext): Promise<StackHandle> {
  const { nginx, pgbouncer, instances } = ctx.options;
  ctx.log('starting the private stack (PostgreSQL primary + replica, Redis)…');
  return startStack({
    name: `loadtest-${process.pid}`,
    cwd: ctx.root,
    env: ctx.env,
    log: (l) => ctx.log(`  ${l}`),
    ...(nginx ? { nginx: { staticDir: path.join(ctx.root, REFERENCE_APP.clientDist), instances } } : {}),
    // pgbouncer drops the client's statement_timeout startup parameter: it sets the app's (default 5000 ms) on its server connections.
    ...(pgbouncer
      ? { pgbouncer: { statementTimeoutMs: Number(ctx.env.DB_STATEMENT_TIMEOUT_MS ?? 5000) || 5000 } }
      : {}),
    ...(ctx.shards > 1 ? { shards: ctx.shards } : {}),
  });
}

/**
 * After the seed and before the first scenario: pg_stat_statements emptied on
 * every server and the app's slow-query window started afresh, so neither
 * lists the seed's COPY, VACUUM or index builds as the run's slow statements.
 */
async function resetWindows(
  ctx: ReferenceTargetContext,
  stack: StackHandle,
  baseUrl: string | undefined,
  token: string,
): Promise<void> {
  try {
    await resetStatements(databaseServers(stack).servers);
  } catch (err) {
    ctx.log(`  pg_stat_statements not reset, the slow queries may include the seed's: ${(err as Error).message}`);
  }
  if (!baseUrl) return;
  const res = await fetch(new URL('/api/performance/reset', baseUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5000),
  }).catch((err: unknown) => err as Error);
  if (res instanceof Error || res.status !== 204)
    ctx.log(`  the app's slow-query window not reset: ${res instanceof Error ? res.message : `HTTP ${res.status}`}`);
}

/** Builds the client if needed, starts the stack, seeds it, starts the upstream stub and the app. */
export async function startReferenceTarget(ctx: ReferenceTargetContext): Promise<Target> {
  const { options } = ctx;
  // The build skips itself when its inputs did not change since the last one.
  ctx.log('building the reference app client if its sources changed (webpack, production)…');
  await runStep(ctx, 'the client build', [...REFERENCE_APP.build], { ...ctx.env, NODE_ENV: 'production' });
  const stack = await startRigStack(ctx);
  try {
    const dbEnv = {
      ...ctx.env,
      DATABASE_URL: stack.urls.primary,
      DATABASE_REPLICA_URL: stack.urls.replica,
      REDIS_URL: stack.urls.redis,
      ...shardEnv(stack),
    };
    ctx.log(`seeding (scale ${options.scale})…`);
    await runStep(ctx, 'seeding', [...REFERENCE_APP.seed(options.scale)], dbEnv);
    const count = options.autoscale
      ? `${options.autoscale.min}..${options.autoscale.max} instances, auto-scaled`
      : `${options.instances} instance${options.instances > 1 ? 's' : ''}`;
    ctx.log(`starting the app (${count}) and the stub upstream…`);
    // Made per run and handed only to the app (env) and the sampler (headers): nothing else can read SQL text.
    const performanceToken = randomBytes(24).toString('base64url');
    const { baseUrl, upstream, apps } = await startServices(ctx, stack, performanceToken);
    await resetWindows(ctx, stack, apps.length ? baseUrl : undefined, performanceToken);
    return {
      baseUrl,
      pages: ctx.pages,
      ...(ctx.auth ? { auth: ctx.auth } : {}),
      samplers: referenceSamplers(stack, apps, upstream, performanceToken),
      bundleStats: path.join(ctx.root, REFERENCE_APP.clientStats),
      identity: { label: 'reference app', settings: ctx.settings },
      stop: async () => {
        ctx.log('stopping the app and the private stack…');
        await stack.stop();
      },
    };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}
