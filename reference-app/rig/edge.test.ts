/**
 * nginx and pgbouncer in a stack of its own, with real app instances behind
 * them: static files served by nginx with their cache headers, /api balanced
 * over two instances, data through pgbouncer (its admin console shows it),
 * and nothing left running after stop. Plus the config texts and the error
 * when a binary is missing.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../toolkit/cli/io.ts';
import { ToolkitError } from '../../toolkit/errors.ts';
import { checkSystemPackages } from '../../toolkit/setup/packages.ts';
import { rigPackages } from './packages.ts';
import { runStackCommand } from './cli.ts';
import { queryOnce } from './health.ts';
import { findNginx, nginxConf } from './nginx.ts';
import { defaultPoolSize, findPgbouncer, pgbouncerIni, pgbouncerStats } from './pgbouncer.ts';
import { isAlive } from '../../toolkit/process/processes.ts';
import { startStack, stopStack, type StackHandle } from './stack.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const NAME = `lb-${process.pid}`;
const DIST = join(ROOT, 'reference-app', 'client', 'dist');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

afterAll(async () => {
  await stopStack(NAME, { cwd: ROOT });
});

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function seed(primary: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['scripts/seed.ts', '--scale', 'small', '--quiet'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATABASE_URL: primary },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seed exited ${code}: ${err}`))));
  });
}

async function startApps(stack: StackHandle): Promise<number[]> {
  const ports = stack.edge?.appPorts ?? [];
  const pids: number[] = [];
  // One at a time: each start rewrites the stack's state file.
  for (const port of ports)
    pids.push(
      (
        await stack.spawnManaged({
          name: `app-${port}`,
          command: TSX,
          args: ['scripts/app.ts', '--instances', '1', '--port', String(port)],
          cwd: ROOT,
          env: {
            PATH: process.env.PATH,
            NODE_ENV: 'production',
            LOG_LEVEL: 'warn',
            DATABASE_URL: stack.urls.primaryPooled,
            DATABASE_REPLICA_URL: stack.urls.replica,
            REDIS_URL: stack.urls.redis,
            UPSTREAM_URL: 'http://127.0.0.1:9',
            STATIC_DIR: DIST,
          },
          readyLog: '"instances":1',
          readyTimeoutMs: 60_000,
          logFile: join(stack.dir ?? ROOT, `app-${port}.log`),
        })
      ).pid,
    );
  return pids;
}

async function login(web: string): Promise<string> {
  const res = await fetch(`${web}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@business-1.example', password: 'perfkit-demo' }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('x-edge')).toBe('nginx');
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe('nginx + pgbouncer in a stack of its own', () => {
  it('serves static files at the edge, balances /api over the instances, pools through pgbouncer, and stops everything', async () => {
    const stack = await startStack({
      name: NAME,
      cwd: ROOT,
      env: { PATH: process.env.PATH },
      nginx: { staticDir: DIST, instances: 2 },
      pgbouncer: { statementTimeoutMs: 5000 },
      shards: 2,
    });
    const web = stack.urls.web ?? '';
    const admin = stack.edge?.pgbouncerAdmin ?? '';
    expect(web).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.urls.primaryPooled).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/primary$/);
    const [setting] = await queryOnce<{ t: string }>(
      stack.urls.primaryPooled ?? '',
      "SELECT current_setting('statement_timeout') AS t",
    );
    expect(setting?.t).toBe('5s');
    // Each shard primary gets its own pooled database.
    expect(stack.edge?.shardsPooled).toEqual([
      expect.stringMatching(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/shard1$/),
    ]);
    const [port] = await queryOnce<{ port: number }>(
      stack.edge?.shardsPooled?.[0] ?? '',
      "SELECT current_setting('port')::int AS port",
    );
    expect(port?.port).toBe(Number(new URL(stack.urls.shards?.[0] ?? '').port));
    await seed(stack.urls.primary);
    const appPids = await startApps(stack);

    const index = await fetch(`${web}/dashboard`, { headers: { accept: 'text/html' } });
    expect(index.status).toBe(200);
    expect(index.headers.get('x-edge')).toBe('nginx');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await index.text()).toContain('<html');
    const asset = (await readdir(DIST)).find((f) => /^main\.[0-9a-f]{8,}\.js$/.test(f)) ?? 'main.js';
    const js = await fetch(`${web}/${asset}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('x-edge')).toBe('nginx');
    expect(js.headers.get('content-encoding')).toBe('gzip');
    expect((await fetch(`${web}/sw.js`)).headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${web}/missing.0123456789.js`)).status).toBe(404);

    const before = (await pgbouncerStats(admin)).find((s) => s.database === 'primary')?.totalXactCount ?? 0;
    const cookie = await login(web);
    const ingest = await fetch(`${web}/api/metrics/ingest`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ points: [{ metric: 'revenue', ts: new Date().toISOString(), value: 42 }] }),
    });
    expect(ingest.status).toBe(202);
    const instances = new Set<string>();
    for (let i = 0; i < 8; i += 1) {
      const res = await fetch(`${web}/api/dashboard`, { headers: { cookie } });
      expect(res.status).toBe(200);
      await res.json();
      instances.add(res.headers.get('x-instance') ?? '');
    }
    expect(instances.size).toBeGreaterThan(1);

    const after = (await pgbouncerStats(admin)).find((s) => s.database === 'primary')?.totalXactCount ?? 0;
    expect(after).toBeGreaterThan(before);
    const pools = await queryOnce<{
      database: string;
      pool_mode: string;
      sv_idle: number;
      sv_active: number;
      sv_used: number;
    }>(admin, 'SHOW POOLS');
    expect(pools.map((p) => p.database)).toEqual(expect.arrayContaining(['primary', 'shard1']));
    const primaryPool = pools.find((p) => p.database === 'primary');
    expect(primaryPool?.pool_mode).toBe('transaction');
    expect(
      Number(primaryPool?.sv_idle) + Number(primaryPool?.sv_active) + Number(primaryPool?.sv_used),
    ).toBeGreaterThan(0);

    const out: string[] = [];
    const io: CliIo = {
      argv: ['up', '--name', NAME, '--quiet'],
      env: { PATH: process.env.PATH },
      cwd: ROOT,
      stdout: { write: (c: string) => out.push(c) },
      stderr: { write: () => true },
    };
    expect(await runStackCommand(io)).toBe(0);
    expect(out.join('')).toContain(
      `DATABASE_POOLED_URL=${stack.urls.primaryPooled}\nWEB_URL=${web}\nAPP_PORTS=${(stack.edge?.appPorts ?? []).join(',')}\n`,
    );

    const state = JSON.parse(readFileSync(join(stack.dir ?? '', 'state.json'), 'utf8')) as {
      managed: { name: string; pid: number }[];
    };
    const edgePids = state.managed.filter((m) => m.name === 'nginx' || m.name === 'pgbouncer').map((m) => m.pid);
    expect(edgePids).toHaveLength(2);
    const all = [...edgePids, ...edgePids.flatMap(childPids), ...appPids];
    expect(all.every(isAlive)).toBe(true);
    await stack.stop();
    expect(all.filter(isAlive)).toEqual([]);
  }, 240_000);
});

describe('nginx / pgbouncer configuration', () => {
  it('pgbouncer: transaction pooling per target, trust auth, statement timeout set on server connections', () => {
    const ini = pgbouncerIni({
      port: 6432,
      dir: '/s/pgbouncer',
      poolSize: 6,
      maxClientConn: 1000,
      statementTimeoutMs: 5000,
      targets: [
        { name: 'primary', url: 'postgres://postgres@127.0.0.1:5433/perfkit' },
        { name: 'shard1', url: 'postgres://postgres@127.0.0.1:5434/perfkit' },
      ],
    });
    expect(ini).toContain(
      "primary = host=127.0.0.1 port=5433 dbname=perfkit user=postgres connect_query='SET statement_timeout = 5000'",
    );
    expect(ini).toContain('shard1 = host=127.0.0.1 port=5434');
    expect(ini).toMatch(/^pool_mode = transaction$/m);
    expect(ini).toMatch(/^auth_type = trust$/m);
    expect(ini).toMatch(/^listen_addr = 127\.0\.0\.1$/m);
    expect(ini).toMatch(/^default_pool_size = 6$/m);
    expect(defaultPoolSize(2)).toBe(6);
    expect(() =>
      pgbouncerIni({
        port: 1,
        dir: '/s',
        poolSize: 1,
        maxClientConn: 1,
        targets: [{ name: 'pgbouncer', url: 'postgres://x@h/db' }],
      }),
    ).toThrow(ToolkitError);
  });

  it('nginx: foreground master, files in the stack folder, balanced upstream with keep-alive', () => {
    const conf = nginxConf({
      port: 8080,
      dir: '/s/nginx',
      staticDir: '/app/dist',
      upstreamPorts: [3001, 3002],
      workers: 1,
      user: 'nobody nogroup',
      brotli: false,
    });
    for (const line of [
      'daemon off;',
      'master_process on;',
      'pid /s/nginx/nginx.pid;',
      'user nobody nogroup;',
      'least_conn;',
      'keepalive 64;',
      'server 127.0.0.1:3001',
      'server 127.0.0.1:3002',
      'listen 127.0.0.1:8080;',
      'root /app/dist;',
      'gzip_static on;',
      'client_body_temp_path /s/nginx/temp/client_body;',
    ]) {
      expect(conf).toContain(line);
    }
    expect(conf).not.toContain('brotli_static');
    expect(
      nginxConf({ port: 1, dir: '/d', staticDir: '/a', upstreamPorts: [2], workers: 1, user: undefined, brotli: true }),
    ).toContain('brotli_static on;');
  });

  it('a missing binary is a BINARY_MISSING error naming the Debian and Homebrew packages', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'edge-empty-'));
    try {
      for (const [find, pkg] of [
        [findNginx, 'nginx'],
        [findPgbouncer, 'pgbouncer'],
      ] as const) {
        const err = (() => {
          try {
            find({ env: { PATH: empty }, extraDirs: [empty] });
          } catch (e) {
            return e;
          }
          return undefined;
        })();
        expect(err).toBeInstanceOf(ToolkitError);
        expect((err as ToolkitError).code).toBe('BINARY_MISSING');
        expect((err as ToolkitError).fix).toContain(`apt-get install ${pkg}`);
        expect((err as ToolkitError).fix).toContain(`brew install ${pkg}`);
      }
      // setup lists them only when the feature is asked for, as packages apt could install.
      const where = { extraDirs: [empty], versionRoots: [empty] };
      const env = { PATH: empty };
      expect(checkSystemPackages(rigPackages(where), env).map((p) => p.name)).not.toContain('nginx');
      const optional = checkSystemPackages(rigPackages({ ...where, nginx: true, pgbouncer: true }), env).filter(
        (p) => p.name === 'nginx' || p.name === 'pgbouncer',
      );
      expect(optional).toEqual([
        { name: 'nginx', debian: 'nginx', homebrew: 'nginx', found: undefined },
        { name: 'pgbouncer', debian: 'pgbouncer', homebrew: 'pgbouncer', found: undefined },
      ]);
      expect(
        checkSystemPackages(rigPackages({ nginx: true }), { PATH: process.env.PATH }).find((p) => p.name === 'nginx')
          ?.found,
      ).toMatch(/nginx$/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('stack up refuses --nginx / --pgbouncer in front of external servers', async () => {
    const out: string[] = [];
    const env = {
      PATH: process.env.PATH,
      DATABASE_URL: 'postgres://x@127.0.0.1:1/db',
      DATABASE_REPLICA_URL: 'postgres://x@127.0.0.1:1/db',
      REDIS_URL: 'redis://127.0.0.1:1',
    };
    const io: CliIo = {
      argv: ['up', '--name', `${NAME}-ext`, '--pgbouncer', '--quiet'],
      env,
      cwd: ROOT,
      stdout: { write: (c: string) => out.push(c) },
      stderr: { write: (c: string) => out.push(c) },
    };
    await expect(runStackCommand(io)).rejects.toThrow(/nginx \/ pgbouncer run only in front of the private stack/);
  });
});
