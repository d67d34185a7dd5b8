/**
 * System set-up and doctor: present packages are a quick no-op, missing ones
 * are installed with apt when allowed or named in one error, and the doctor's
 * table and exit code follow what it finds.
 */
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { CliIo } from '../cli/io.ts';
import { ToolkitError } from '../errors.ts';
import { runDoctor } from './doctor.ts';
import { ensureSystemPackages } from './packages.ts';

const PATH = process.env.PATH ?? '/usr/bin:/bin';

async function emptyWorld(withApt: boolean): Promise<{ env: Record<string, string>; dirs: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'setup-'));
  if (withApt) {
    await writeFile(join(dir, 'apt-get'), '#!/bin/sh\nexit 0\n');
    await chmod(join(dir, 'apt-get'), 0o755);
  }
  return { env: { PATH: dir }, dirs: [dir] };
}

describe('ensureSystemPackages', () => {
  it('does nothing when chromium, postgresql and redis-server are present', () => {
    const lines: string[] = [];
    const result = ensureSystemPackages({
      purpose: 'test',
      env: { PATH },
      log: (l) => lines.push(l),
      isRoot: true,
      run: () => 1,
    });
    expect(result.installed).toEqual([]);
    expect(result.packages.map((p) => p.name)).toEqual(['chromium', 'postgresql', 'redis-server']);
    expect(lines).toEqual([]);
  });

  it('installs missing packages with apt-get when root, saying so', async () => {
    const world = await emptyWorld(true);
    const lines: string[] = [];
    const calls: string[] = [];
    const run = (command: string, args: string[]): number => (calls.push([command, ...args].join(' ')), 0);
    const attempt = (): unknown =>
      ensureSystemPackages({
        purpose: 'loadtest',
        env: world.env,
        versionRoots: world.dirs,
        extraDirs: [],
        log: (l) => lines.push(l),
        isRoot: true,
        run,
      });
    // The fake apt-get installs nothing, so the final re-check still fails.
    expect(attempt).toThrow(/still not found after apt-get install/);
    expect(lines).toEqual(['installing chromium postgresql redis-server with apt-get…']);
    expect(calls).toEqual(['apt-get update', 'apt-get install -y chromium postgresql redis-server']);
  });

  it('names exactly what to install when it may not install', async () => {
    const world = await emptyWorld(false);
    let err: unknown;
    try {
      ensureSystemPackages({
        purpose: 'test',
        env: world.env,
        versionRoots: world.dirs,
        extraDirs: [],
        log: () => undefined,
        isRoot: false,
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ToolkitError);
    const e = err as ToolkitError;
    expect(e.code).toBe('SYSTEM_PACKAGES_MISSING');
    expect(e.message).toContain('chromium, postgresql, redis-server');
    expect(e.fix).toContain('apt-get install -y chromium postgresql redis-server');
    expect(e.fix).toContain('brew install redis');
    expect(e.fix).toContain('npx puppeteer browsers install chrome');
    expect(e.fix).toContain('CHROME_PATH');
  });
});

function io(argv: string[], env: Record<string, string | undefined>): { io: CliIo; out: string[] } {
  const out: string[] = [];
  return {
    out,
    io: { argv, env, cwd: process.cwd(), stdout: { write: (c: string) => out.push(c) }, stderr: { write: () => true } },
  };
}

describe('doctor', () => {
  it('passes on the test stack and prints its table', async () => {
    const urls = inject('stackUrls');
    const run = io([], { PATH, DATABASE_URL: urls.primary, DATABASE_REPLICA_URL: urls.replica, REDIS_URL: urls.redis });
    expect(await runDoctor(run.io)).toBe(0);
    const table = run.out.join('');
    expect(table).toMatch(/^replica\s+ok\s+streaming at/m);
    expect(table).toMatch(/^redis\s+ok\s+PONG/m);
    expect(table).toMatch(/^k6\s+(ok|info)/m);
  });

  it('fails with exit 2 and a fix when a service does not answer', async () => {
    const urls = inject('stackUrls');
    const run = io(['--json'], {
      PATH,
      DATABASE_URL: urls.primary,
      DATABASE_REPLICA_URL: urls.primary,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(await runDoctor(run.io)).toBe(2);
    const report = JSON.parse(run.out.join('')) as {
      ok: boolean;
      checks: { name: string; ok: boolean; fix?: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['replica', 'redis']);
    expect(report.checks.find((c) => c.name === 'redis')?.fix).toMatch(/stack -- status/);
  });
});
