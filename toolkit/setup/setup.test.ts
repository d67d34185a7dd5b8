/**
 * System set-up and doctor: present packages are a quick no-op, missing ones
 * are installed with apt when allowed or named in one error, and the doctor's
 * table and exit code follow what it finds.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../cli/io.ts';
import { ToolkitError } from '../errors.ts';
import { which } from '../process/which.ts';
import { runDoctor, type DoctorSection } from './doctor.ts';
import { CHROMIUM, ensureSystemPackages, type SystemPackageSpec } from './packages.ts';

const PATH = process.env.PATH ?? '/usr/bin:/bin';

/** A package found on PATH as `bin`, the way a provider's finder would look for it. */
const onPath = (name: string, bin: string, homebrew = name): SystemPackageSpec => ({
  name,
  debian: name,
  homebrew,
  find: (env) => {
    const found = which(bin, env);
    if (!found) throw new ToolkitError('BINARY_MISSING', `${bin} not found on PATH`);
    return found;
  },
});

async function emptyWorld(withApt: boolean): Promise<{ env: Record<string, string>; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'setup-'));
  if (withApt) {
    await writeFile(join(dir, 'apt-get'), '#!/bin/sh\nexit 0\n');
    await chmod(join(dir, 'apt-get'), 0o755);
  }
  return { env: { PATH: dir }, dir };
}

describe('ensureSystemPackages', () => {
  it('does nothing when every package asked for is present', () => {
    const lines: string[] = [];
    const result = ensureSystemPackages({
      packages: [CHROMIUM, onPath('coreutils', 'ls')],
      env: { PATH },
      log: (l) => lines.push(l),
      isRoot: true,
      run: () => 1,
    });
    expect(result.installed).toEqual([]);
    expect(result.packages.map((p) => [p.name, Boolean(p.found)])).toEqual([
      ['chromium', true],
      ['coreutils', true],
    ]);
    expect(lines).toEqual([]);
  });

  it('installs missing packages with apt-get when root, saying so', async () => {
    const world = await emptyWorld(true);
    const lines: string[] = [];
    const calls: string[] = [];
    const run = (command: string, args: string[]): number => (calls.push([command, ...args].join(' ')), 0);
    const logDir = join(world.dir, 'logs');
    const dirs = {
      wants: join(world.dir, 'wants'),
      policyRcD: join(world.dir, 'policy-rc.d'),
      systemdRun: '/nonexistent',
    };
    const attempt = (): unknown =>
      ensureSystemPackages({
        packages: [CHROMIUM, onPath('frobnicator', 'frobnicate')],
        env: world.env,
        log: (l) => lines.push(l),
        isRoot: true,
        run,
        logDir,
        serviceDirs: dirs,
      });
    // The fake apt-get installs nothing, so the final re-check still fails.
    expect(attempt).toThrow(/still not found after apt-get install, see .*apt-.*\.log/);
    expect(lines[0]).toMatch(/^installing chromium frobnicator with apt-get \(log: .*logs\/apt-.*\.log\)…$/);
    expect(lines[1]).toMatch(/^installed chromium frobnicator in \d+ s$/);
    expect(calls).toEqual(['apt-get update -q', 'apt-get install -y --no-install-recommends -q chromium frobnicator']);
  });

  it('keeps services from starting during the install and disables what the install enabled', async () => {
    const world = await emptyWorld(true);
    const dirs = {
      wants: join(world.dir, 'wants'),
      policyRcD: join(world.dir, 'policy-rc.d'),
      systemdRun: '/nonexistent',
    };
    await mkdir(join(dirs.wants), { recursive: true });
    await writeFile(join(dirs.wants, 'already.service'), '');
    const calls: string[] = [];
    let policyDuringInstall = '';
    const run = (command: string, args: string[]): number => {
      calls.push([command, ...args].join(' '));
      if (args[0] === 'install') {
        policyDuringInstall = readFileSync(dirs.policyRcD, 'utf8');
        // What a package's postinst does through deb-systemd-helper: enable its unit.
        writeFileSync(join(dirs.wants, 'frobd.service'), '');
        writeFileSync(join(world.dir, 'frobnicate'), '#!/bin/sh\n', { mode: 0o755 });
      }
      if (command === 'systemctl' && args[0] === 'disable') rmSync(join(dirs.wants, args[2] ?? ''));
      return 0;
    };
    const lines: string[] = [];
    const result = ensureSystemPackages({
      packages: [onPath('frobnicator', 'frobnicate')],
      env: world.env,
      log: (l) => lines.push(l),
      isRoot: true,
      run,
      logDir: join(world.dir, 'logs'),
      serviceDirs: dirs,
    });
    expect(policyDuringInstall).toContain('exit 101');
    expect(existsSync(dirs.policyRcD)).toBe(false);
    expect(result.disabled).toEqual(['frobd']);
    expect(calls).toContain('systemctl disable --quiet frobd.service');
    expect(calls.some((c) => c.includes('already'))).toBe(false);
    expect(readdirSync(dirs.wants)).toEqual(['already.service']);
    expect(lines.at(-1)).toMatch(/^frobd ships a system service: left disabled and stopped/);
  });

  it('names exactly what to install when it may not install', async () => {
    const world = await emptyWorld(false);
    let err: unknown;
    try {
      ensureSystemPackages({
        packages: [CHROMIUM, onPath('frobnicator', 'frobnicate', 'frob')],
        env: world.env,
        log: () => undefined,
        isRoot: false,
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ToolkitError);
    const e = err as ToolkitError;
    expect(e.code).toBe('SYSTEM_PACKAGES_MISSING');
    expect(e.message).toContain('chromium, frobnicator');
    expect(e.fix).toContain('apt-get install -y chromium frobnicator');
    expect(e.fix).toContain('brew install frob');
    expect(e.fix).toContain('npx puppeteer browsers install chrome');
    expect(e.fix).toContain('CHROME_PATH');
  });

  it('asks for nothing and installs nothing when nothing is needed', () => {
    const calls: string[] = [];
    const result = ensureSystemPackages({
      packages: [],
      env: { PATH: '' },
      log: () => undefined,
      isRoot: true,
      run: (command) => (calls.push(command), 0),
    });
    expect(result).toEqual({ packages: [], installed: [], disabled: [] });
    expect(calls).toEqual([]);
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
  it("prints the toolkit's checks and passes when Chromium is there", async () => {
    const run = io([], { PATH });
    expect(await runDoctor(run.io)).toBe(0);
    const table = run.out.join('');
    expect(table).toMatch(/^chromium\s+ok\s+\//m);
    expect(table).toMatch(/^k6\s+(ok|info)/m);
  });

  it("adds a section's checks and flags, and fails with exit 2 and its fix when a required one fails", async () => {
    const seen: unknown[] = [];
    const section: DoctorSection = {
      flags: { name: { type: 'string', default: 'default' } },
      help: 'Frobnicator: checks the frobnicator (--name N).',
      checks: async (_io, flags) => {
        seen.push(flags.name);
        return [{ name: 'frobnicator', required: true, ok: false, detail: 'not running', fix: 'start it' }];
      },
    };
    const run = io(['--json', '--name', 'x'], { PATH });
    expect(await runDoctor(run.io, { sections: [section] })).toBe(2);
    expect(seen).toEqual(['x']);
    const report = JSON.parse(run.out.join('')) as { ok: boolean; checks: { name: string; fix?: string }[] };
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'frobnicator')?.fix).toBe('start it');
    const help = io(['--help'], { PATH });
    await runDoctor(help.io, { sections: [section] });
    expect(help.out.join('')).toContain('Frobnicator: checks the frobnicator');
    await expect(runDoctor(io(['--name', 'x'], { PATH }).io)).rejects.toThrow(/--name/);
  });
});
