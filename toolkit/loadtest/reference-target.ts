import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ToolkitError } from '../errors.ts';
import { startStack, type StackHandle } from '../stack/stack.ts';
import { freePort } from '../stack/ports.ts';
import type { ManagedProcess } from '../stack/managed.ts';
import { stateFile, type ServiceName, type StackState } from '../stack/state.ts';
import { redisUsedMemory } from './redis-info.ts';

/**
 * The reference app as a target: its own commands (build, seed, upstream,
 * app) run as child processes against a private stack. The toolkit never
 * imports the app; it only knows these command lines.
 */
export const REFERENCE_APP = {
  clientSources: 'reference-app/client',
  clientStats: 'reference-app/client/build-stats/stats.json',
  build: ['scripts/build.ts'],
  seed: (scale: string) => ['scripts/seed.ts', '--scale', scale, '--quiet'],
  upstream: (port: number) => ['scripts/upstream.ts', '--port', String(port)],
  app: (port: number, instances: number, autoscale?: AutoscaleLimits) =>
    autoscale
      ? [
          'scripts/app.ts',
          '--min-instances',
          String(autoscale.min),
          '--max-instances',
          String(autoscale.max),
          '--port',
          String(port),
        ]
      : ['scripts/app.ts', '--instances', String(instances), '--port', String(port)],
} as const;

/** A started reference target: its URL, what to watch for resources, and how to stop it all. */
export interface ReferenceTarget {
  baseUrl: string;
  stack: StackHandle;
  /** Process groups to sample (name → pids), read anew on each tick. */
  processes(): Record<string, number[]>;
  folders: Record<string, string>;
  /** Memory the services report themselves (Redis used_memory). */
  memory: Record<string, () => Promise<number | undefined>>;
  /** For the /api/performance sampler: this run's token, which unlocks the app's SQL text (slow queries). */
  samplerHeaders: Record<string, string>;
  stop(): Promise<void>;
}

/** The app's auto-scaling supervisor limits (`npm run app -- --min-instances N --max-instances M`). */
export interface AutoscaleLimits {
  min: number;
  max: number;
}

interface Ctx {
  root: string;
  /** nginx in front of the instances (one app process each, no node:cluster) and pgbouncer in front of the primary. */
  nginx?: boolean;
  pgbouncer?: boolean;
  /** Database shard primaries (default 1): the app and the seed get the extra ones in DATABASE_SHARD_URLS. */
  shards?: number;
  /** Start the app under its auto-scaling supervisor instead of a fixed instance count. */
  autoscale?: AutoscaleLimits;
  env: Record<string, string | undefined>;
  log: (line: string) => void;
  signal?: AbortSignal;
}

function tsx(root: string): string {
  return path.join(root, 'node_modules', '.bin', 'tsx');
}

/** Runs one command to completion; its output is shown only when it fails. */
function runStep(ctx: Ctx, what: string, args: string[], env: Record<string, string | undefined>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx(ctx.root), args, { cwd: ctx.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const onAbort = (): void => void child.kill('SIGTERM');
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', reject);
    child.on('exit', (code) => {
      ctx.signal?.removeEventListener('abort', onAbort);
      if (code === 0) resolve();
      else
        reject(
          new ToolkitError(
            'STACK_START_FAILED',
            `${what} failed (exit ${code}):\n${output.trim().split('\n').slice(-15).join('\n')}`,
            { fix: 'run the step alone to see more, e.g. `npx tsx ' + args.join(' ') + '`' },
          ),
        );
    });
  });
}

async function startServices(
  ctx: Ctx,
  stack: StackHandle,
  instances: number,
  performanceToken: string,
): Promise<{ baseUrl: string; managed: ManagedProcess[] }> {
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
        args: [...REFERENCE_APP.app(appPort, perApp, ctx.autoscale)],
        cwd: ctx.root,
        env: {
          ...base,
          DATABASE_URL: stack.urls.primaryPooled ?? stack.urls.primary,
          DATABASE_REPLICA_URL: stack.urls.replica,
          REDIS_URL: stack.urls.redis,
          UPSTREAM_URL: `http://127.0.0.1:${upstreamPort}`,
          PERFORMANCE_TOKEN: performanceToken,
          STATIC_DIR: path.join(ctx.root, 'reference-app/client/dist'),
          // Behind nginx every request comes from 127.0.0.1: the app takes the client address from nginx instead.
          ...(stack.edge?.appPorts ? { TRUST_PROXY: 'loopback' } : {}),
          ...shardEnv(stack),
          // With pgbouncer the app's shard pools go through it too (the seed keeps the direct URLs).
          ...(stack.edge?.shardsPooled ? { DATABASE_SHARD_URLS: stack.edge.shardsPooled.join(',') } : {}),
        },
        // The app prints {"url","port","instances","pids"} once every instance listens; /readyz would pass with the first.
        readyLog: new RegExp(`"instances":\\s*${ctx.autoscale?.min ?? perApp}\\b`),
        readyTimeoutMs: 60_000,
        logFile: path.join(stack.dir ?? ctx.root, appPorts.length > 1 ? `app-${i + 1}.log` : 'app.log'),
      }),
    );
  return { baseUrl: stack.urls.web ?? `http://127.0.0.1:${appPorts[0] ?? 0}`, managed: [upstream, ...apps] };
}

/** The extra shard primaries' pids (with their backends), as `postgres-shard-<i>`. */
function shardPids(dir: string | undefined): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  let state: StackState | undefined;
  try {
    state = dir ? (JSON.parse(readFileSyncSafe(stateFile(dir))) as StackState) : undefined;
  } catch {
    state = undefined;
  }
  for (const [i, s] of (state?.shards ?? []).entries()) {
    const pid = Number(readFileSyncSafe(s.pidFile).split('\n')[0]?.trim());
    if (Number.isInteger(pid) && pid > 0) out[`postgres-shard-${i + 1}`] = [pid, ...childPids(pid)];
  }
  return out;
}

/** DATABASE_SHARD_URLS for the seed and the app when the stack has extra shards. */
function shardEnv(stack: StackHandle): Record<string, string> {
  return stack.urls.shards?.length ? { DATABASE_SHARD_URLS: stack.urls.shards.join(',') } : {};
}

/** All descendants of a process (tsx → node → cluster workers), from /proc. */
function childPids(pid: number, depth = 0): number[] {
  if (depth > 4) return [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const direct = tasks.flatMap((t) =>
    readFileSyncSafe(`/proc/${pid}/task/${t}/children`).split(' ').filter(Boolean).map(Number),
  );
  return direct.flatMap((child) => [child, ...childPids(child, depth + 1)]);
}

function readFileSyncSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Builds the client if needed, starts the stack, seeds it, starts the upstream stub and the app. */
export async function startReferenceTarget(
  ctx: Ctx & { instances: number; scale: string; runId: string },
): Promise<ReferenceTarget> {
  // The build skips itself when its inputs did not change since the last one.
  ctx.log('building the reference app client if its sources changed (webpack, production)…');
  await runStep(ctx, 'the client build', [...REFERENCE_APP.build], { ...ctx.env, NODE_ENV: 'production' });
  ctx.log('starting the private stack (PostgreSQL primary + replica, Redis)…');
  const stack = await startStack({
    name: `loadtest-${process.pid}`,
    cwd: ctx.root,
    env: ctx.env,
    log: (l) => ctx.log(`  ${l}`),
    ...(ctx.nginx
      ? { nginx: { staticDir: path.join(ctx.root, 'reference-app/client/dist'), instances: ctx.instances } }
      : {}),
    // pgbouncer drops the client's statement_timeout startup parameter: it sets the app's (default 5000 ms) on its server connections.
    ...(ctx.pgbouncer
      ? { pgbouncer: { statementTimeoutMs: Number(ctx.env.DB_STATEMENT_TIMEOUT_MS ?? 5000) || 5000 } }
      : {}),
    ...(ctx.shards && ctx.shards > 1 ? { shards: ctx.shards } : {}),
  });
  try {
    const dbEnv = {
      ...ctx.env,
      DATABASE_URL: stack.urls.primary,
      DATABASE_REPLICA_URL: stack.urls.replica,
      REDIS_URL: stack.urls.redis,
      ...shardEnv(stack),
    };
    ctx.log(`seeding (scale ${ctx.scale})…`);
    await runStep(ctx, 'seeding', [...REFERENCE_APP.seed(ctx.scale)], dbEnv);
    const count = ctx.autoscale
      ? `${ctx.autoscale.min}..${ctx.autoscale.max} instances, auto-scaled`
      : `${ctx.instances} instance${ctx.instances > 1 ? 's' : ''}`;
    ctx.log(`starting the app (${count}) and the stub upstream…`);
    // Made per run and handed only to the app (env) and the sampler (headers): nothing else can read SQL text.
    const performanceToken = randomBytes(24).toString('base64url');
    const { baseUrl, managed } = await startServices(ctx, stack, ctx.instances, performanceToken);
    const apps = managed.slice(1);
    const state = stack.dir;
    return {
      baseUrl,
      stack,
      processes: () => ({
        app: apps.flatMap((app) => [app.pid, ...childPids(app.pid)]),
        upstream: managed[0] ? [managed[0].pid] : [],
        'postgres-primary': servicePids(state, 'primary'),
        'postgres-replica': servicePids(state, 'replica'),
        redis: servicePids(state, 'redis'),
        ...edgePids(state),
        ...shardPids(state),
      }),
      folders: state
        ? { 'postgres-primary': path.join(state, 'primary'), 'postgres-replica': path.join(state, 'replica') }
        : {},
      memory: { redis: () => redisUsedMemory(stack.urls.redis) },
      samplerHeaders: { authorization: `Bearer ${performanceToken}` },
      stop: () => stack.stop(),
    };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

/** nginx (master and workers) and pgbouncer, when the stack runs them. */
function edgePids(dir: string | undefined): Record<string, number[]> {
  let managed: StackState['managed'] = [];
  try {
    managed = dir ? (JSON.parse(readFileSyncSafe(stateFile(dir))) as StackState).managed : [];
  } catch {
    managed = [];
  }
  const groups: Record<string, number[]> = {};
  for (const m of managed.filter((x) => x.name === 'nginx' || x.name === 'pgbouncer'))
    groups[m.name] = [m.pid, ...childPids(m.pid)];
  return groups;
}

/** A service's main pid (from its pid file) and its children. */
function servicePids(dir: string | undefined, service: ServiceName): number[] {
  let pidFile: string | undefined;
  try {
    pidFile = dir ? (JSON.parse(readFileSyncSafe(stateFile(dir))) as StackState).services[service].pidFile : undefined;
  } catch {
    pidFile = undefined;
  }
  const pid = pidFile ? Number(readFileSyncSafe(pidFile).split('\n')[0]?.trim()) : NaN;
  return Number.isInteger(pid) && pid > 0 ? [pid, ...childPids(pid)] : [];
}
