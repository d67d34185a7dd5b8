/**
 * A stack of its own (not the test run's): the CLI's up/status/down, stopping
 * and starting single services, attached processes, and that `down` leaves no
 * process behind. Plus stale folders, missing binaries, ports and external URLs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../toolkit/cli/io.ts';
import { ToolkitError } from '../../toolkit/errors.ts';
import { findPostgresBinaries, findRedisServer } from './binaries.ts';
import { runStackCommand } from './cli.ts';
import { queryOnce, redisPing } from './health.ts';
import { spawnManaged } from '../../toolkit/process/managed.ts';
import { freePort, isPortFree } from '../../toolkit/process/ports.ts';
import { isAlive } from '../../toolkit/process/processes.ts';
import { readStackState, startStack, stopStack } from './stack.ts';
import { attachStack } from './stack-handle.ts';
import { inspectStackDir } from './state.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const NAME = `stacktest-${process.pid}`;

function cli(argv: string[], env: Record<string, string | undefined> = { PATH: process.env.PATH }) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    argv,
    env,
    cwd: ROOT,
    stdout: { write: (c: string) => out.push(c) },
    stderr: { write: (c: string) => err.push(c) },
  };
  return { io, out, err, run: () => runStackCommand(io) };
}

afterAll(async () => {
  await stopStack(NAME, { cwd: ROOT });
});

describe('stack up / status / down (a stack of its own)', () => {
  it('starts detached, controls single services, and down leaves no process', async () => {
    const up = cli(['up', '--name', NAME]);
    expect(await up.run()).toBe(0);
    const printed = up.out.join('');
    expect(printed).toMatch(
      /^DATABASE_URL=postgres:\/\/postgres@127\.0\.0\.1:\d+\/perfkit\nDATABASE_REPLICA_URL=.+\nREDIS_URL=redis:\/\/127\.0\.0\.1:\d+\n$/,
    );
    const state = await readStackState(NAME, { cwd: ROOT });
    expect(printed).toContain(state?.services.replica.url);

    const status = cli(['status', '--name', NAME]);
    expect(await status.run()).toBe(0);
    expect(status.out.join('')).toMatch(/replication: streaming, lag \d+ bytes, [\d.]+ s/);

    const handle = await attachStack({ name: NAME, cwd: ROOT });
    const [settings] = await queryOnce<{ wal: string; preload: string }>(
      handle.urls.primary,
      "SELECT current_setting('wal_level') AS wal, current_setting('shared_preload_libraries') AS preload",
    );
    expect(settings).toEqual({ wal: 'replica', preload: 'pg_stat_statements' });

    await handle.stopService('redis');
    expect(await redisPing(handle.urls.redis)).toBe(false);
    await handle.startService('redis');
    expect(await redisPing(handle.urls.redis)).toBe(true);

    await handle.stopService('replica');
    await expect(queryOnce(handle.urls.replica, 'SELECT 1')).rejects.toThrow();
    await handle.startService('replica');
    expect(await queryOnce(handle.urls.replica, 'SELECT pg_is_in_recovery() AS r')).toEqual([{ r: true }]);

    await handle.stopService('primary');
    await expect(queryOnce(handle.urls.primary, 'SELECT 1')).rejects.toThrow();
    await handle.startService('primary');
    expect((await handle.status()).replication?.state).toBe('streaming');

    const child = await handle.spawnManaged({
      name: 'sleeper',
      command: process.execPath,
      args: ['-e', 'console.log("ready"); setInterval(() => {}, 1000)'],
      readyLog: 'ready',
    });
    const pids = [...(await handle.status()).services.map((s) => s.pid), child.pid];
    expect(pids.every((pid) => pid !== undefined && isAlive(pid))).toBe(true);

    const down = cli(['down', '--name', NAME]);
    expect(await down.run()).toBe(0);
    expect(pids.filter((pid) => pid !== undefined && isAlive(pid))).toEqual([]);
    expect(existsSync(join(ROOT, '.stack', NAME))).toBe(false);
    expect(await cli(['status', '--name', NAME]).run()).toBe(2);
  });

  it('rejects an unknown action with the usage', async () => {
    await expect(cli(['sideways']).run()).rejects.toThrow(/unknown action "sideways"/);
  });
});

describe('stale folders', () => {
  it('removes a folder whose processes are dead (or whose pids now belong to others), with a message', async () => {
    const dir = join(ROOT, '.stack', `stale-${process.pid}`);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid ?? 999_999;
    await mkdir(join(dir, 'primary'), { recursive: true });
    await writeFile(join(dir, 'primary', 'postmaster.pid'), `${dead}\n${dir}/primary\n`);
    await writeFile(join(dir, 'redis.pid'), `${process.ppid}\n`); // alive, but not a redis-server
    const lines: string[] = [];
    expect(await inspectStackDir(dir, (l) => lines.push(l))).toBe('cleaned');
    expect(existsSync(dir)).toBe(false);
    expect(lines.join('\n')).toMatch(/removing stale stack folder .*stale-/);
  });

  it('keeps a folder whose processes live, or whose start is in progress', async () => {
    const dir = join(ROOT, '.stack', `live-${process.pid}`);
    await mkdir(dir, { recursive: true });
    const fake = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', 'redis-server-lookalike'], {
      stdio: 'ignore',
    });
    try {
      await writeFile(join(dir, 'redis.pid'), `${fake.pid}\n`);
      expect(await inspectStackDir(dir, () => undefined)).toBe('running');
    } finally {
      fake.kill();
    }
    await rm(join(dir, 'redis.pid'));
    // No pid files yet: the stack belongs to its live starting process.
    await writeFile(join(dir, 'state.json'), JSON.stringify({ managed: [], startingPid: process.ppid }));
    expect(await inspectStackDir(dir, () => undefined)).toBe('running');
    await rm(dir, { recursive: true, force: true });
  });
});

describe('binaries', () => {
  it('a missing PostgreSQL is one readable error naming the packages', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'nobin-'));
    const err = (() => {
      try {
        findPostgresBinaries({ env: { PATH: empty }, versionRoots: [empty] });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ToolkitError);
    expect((err as ToolkitError).code).toBe('BINARY_MISSING');
    expect((err as ToolkitError).fix).toMatch(/apt-get install postgresql.*brew install postgresql/);
    expect(() => findRedisServer({ env: { PATH: empty }, extraDirs: [] })).toThrow(/redis-server not found/);
  });

  it('finds the installed binaries outside PATH (pg_config / versioned folders)', () => {
    expect(findPostgresBinaries({ env: { PATH: '/usr/bin:/bin' } }).pgBasebackup).toMatch(/pg_basebackup$/);
  });
});

describe('ports and external servers', () => {
  it('freePort returns a preferred free port and skips a taken one', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const taken = (server.address() as { port: number }).port;
    try {
      expect(await isPortFree(taken)).toBe(false);
      const other = await freePort({ prefer: taken });
      expect(other).not.toBe(taken);
      expect(await isPortFree(other)).toBe(true);
    } finally {
      server.close();
    }
  });

  it('uses DATABASE_URL, DATABASE_REPLICA_URL and REDIS_URL when all are set, starting nothing', async () => {
    const env = { DATABASE_URL: 'postgres://a/b', DATABASE_REPLICA_URL: 'postgres://c/d', REDIS_URL: 'redis://e' };
    const handle = await startStack({ name: 'unused', cwd: ROOT, env });
    expect(handle.external).toBe(true);
    expect(handle.urls).toEqual({ primary: 'postgres://a/b', replica: 'postgres://c/d', redis: 'redis://e' });
    expect(existsSync(join(ROOT, '.stack', 'unused'))).toBe(false);
    await expect(handle.stopService('redis')).rejects.toThrow(ToolkitError);
  });
});

describe('spawnManaged', () => {
  it('reports a process that exits before it is ready, with its output', async () => {
    const err = await spawnManaged({
      name: 'quitter',
      command: process.execPath,
      args: ['-e', 'console.error("no config"); process.exit(3)'],
      readyLog: 'listening',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolkitError);
    expect((err as ToolkitError).message).toMatch(/quitter .* exited with code 3 before it was ready:\s+no config/);
  });

  it('reports a command that cannot start', async () => {
    await expect(
      spawnManaged({ name: 'ghost', command: '/nonexistent/ghost', readyUrl: 'http://127.0.0.1:1/' }),
    ).rejects.toThrow(/ghost .*ENOENT/);
  });

  it('waits for readyUrl and stops the process', async () => {
    const port = await freePort();
    const script = `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`;
    const child = await spawnManaged({
      name: 'web',
      command: process.execPath,
      args: ['-e', script],
      readyUrl: `http://127.0.0.1:${port}/`,
    });
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    await child.stop();
    expect(isAlive(child.pid)).toBe(false);
  });
});
