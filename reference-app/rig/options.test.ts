/**
 * The rig's options and how the loadtest command takes them: its flags and
 * "reference" config section, its defaults per profile, and its flags refused
 * with --target (where the toolkit alone does not know them at all).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ToolkitError } from '../../toolkit/errors.ts';
import { loadConfig } from '../../toolkit/cli/loadtest/config.ts';
import { loadtestHelpFor } from '../../toolkit/cli/loadtest/command.ts';
import { REFERENCE_APP } from './app-commands.ts';
import { resolveRigOptions } from './options.ts';
import { referenceRig } from './provider.ts';

const cwd = '/nonexistent-project';
const options = (flags: Record<string, string | boolean>, scenarios: string[] = []) =>
  resolveRigOptions(flags, undefined, scenarios);
const config = (argv: string[], dir = cwd) => loadConfig(argv, {}, dir, referenceRig);
const work = mkdtempSync(path.join(tmpdir(), 'rig-options-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function errorOf(run: () => unknown): ToolkitError {
  try {
    run();
  } catch (e) {
    if (e instanceof ToolkitError) return e;
    throw e;
  }
  throw new Error('expected a ToolkitError');
}

describe('auto-scaling options', () => {
  it('starts the app under its supervisor (1..4) when the scenarios include autoscale, else a fixed count', () => {
    expect(options({}, ['autoscale']).autoscale).toEqual({ min: 1, max: 4 });
    expect(options({}, ['smoke', 'load']).autoscale).toBeUndefined();
    expect(options({ 'min-instances': '2', 'max-instances': '3' }).autoscale).toEqual({ min: 2, max: 3 });
    expect(options({ 'max-instances': '6' }).autoscale).toEqual({ min: 1, max: 6 });
    expect(config(['--scenario', 'autoscale']).env.BUSINESSES).toBe('20');
  });

  it('refuses limits that cannot work, naming the flags', () => {
    expect(() => options({ 'min-instances': '3', 'max-instances': '2' })).toThrow(
      /--min-instances 3 --max-instances 2/,
    );
    expect(() => options({ instances: '2', 'min-instances': '1' })).toThrow(/--instances cannot be combined/);
    expect(() => options({ nginx: true }, ['autoscale'])).toThrow(/--nginx/);
  });

  it('passes the limits on the app command line', () => {
    expect(REFERENCE_APP.app(3000, 2, { min: 1, max: 4 })).toEqual([
      'scripts/app.ts',
      '--min-instances',
      '1',
      '--max-instances',
      '4',
      '--port',
      '3000',
    ]);
    expect(REFERENCE_APP.app(3000, 2)).toEqual(['scripts/app.ts', '--instances', '2', '--port', '3000']);
  });
});

describe('--shards and --compare-shards', () => {
  it('defaults to one shard and no comparison', () => {
    expect(options({})).toMatchObject({ shards: 1, compareShards: undefined });
    expect(options({ shards: '3' })).toMatchObject({ shards: 3, compareShards: undefined });
  });

  it('runs the last count of a comparison as the main pass, without the browser under load', () => {
    expect(options({ 'compare-shards': '1,2' })).toMatchObject({ shards: 2, compareShards: [1, 2] });
    expect(config(['--compare-shards', '1,2']).browserUnderLoad.enabled).toBe(false);
    expect(config([]).browserUnderLoad.enabled).toBe(true);
  });

  it('refuses bad counts and combinations, naming the flag', () => {
    for (const argv of [
      ['--shards', '0'],
      ['--shards', '9'],
      ['--compare-shards', '2'],
      ['--compare-shards', '1,x'],
      ['--compare-shards', '1,2', '--shards', '2'],
      ['--compare-shards', '1,2', '--target', 'http://127.0.0.1:1'],
    ])
      expect(errorOf(() => config(argv)).message, argv.join(' ')).toMatch(/--(compare-)?shards/);
  });
});

describe('the rig plugged into loadtest', () => {
  it('brings the reference scenarios, budgets, scenario knobs, page and login for each profile', () => {
    const full = config([]);
    expect(full.scenarios).toEqual(['smoke', 'load', 'cache', 'replica']);
    expect(full.budgetPath).toBe(path.join(cwd, 'budgets/default.json'));
    expect(full.env).toMatchObject({ DURATION: '60s', VUS: '10', BUSINESSES: '20' });
    expect(full.lighthouse.pages).toEqual([{ name: 'dashboard', path: '/dashboard', auth: true }]);
    expect(full.auth).toEqual({ email: 'viewer2@business-2.example', password: 'perfkit-demo', loginPath: '/login' });
    expect(full.provider?.systemPackages.map((p) => p.name)).toEqual(['postgresql', 'redis-server']);
    const ci = config(['--ci', '--scale', 'medium', '--nginx']);
    expect(ci.scenarios).toEqual(['smoke', 'load', 'cache']);
    expect(ci.budgetPath).toBe(path.join(cwd, 'budgets/ci.json'));
    expect(ci.env).toMatchObject({ DURATION: '20s', BUSINESSES: '40' });
    expect(ci.provider?.systemPackages.map((p) => p.name)).toEqual(['postgresql', 'redis-server', 'nginx']);
  });

  it('refuses its flags with --target, naming the flag; the toolkit alone does not know them', () => {
    for (const flag of ['--instances=3', '--nginx', '--pgbouncer', '--scale=large', '--min-instances=2']) {
      const err = errorOf(() => config(['--target', 'http://127.0.0.1:1', flag]));
      expect(err.code).toBe('USAGE');
      expect(err.message).toContain(`${flag.split('=')[0]} is an option of the reference app`);
    }
    const withTarget = config(['--target', 'http://127.0.0.1:1']);
    expect(withTarget.provider).toBeUndefined();
    // A URL target is not the reference app: the generic scenarios and budget, none of the rig's defaults.
    expect(withTarget.scenarios.map((s) => path.basename(s))).toEqual(['smoke.js', 'load.js']);
    expect(path.basename(withTarget.budgetPath)).toBe('generic.json');
    expect(withTarget.auth).toBeUndefined();
    expect(withTarget.lighthouse.pages).toEqual([{ name: 'home', path: '/', auth: false }]);
    expect(() => loadConfig(['--instances', '3', '--target', 'http://127.0.0.1:1'], {}, cwd)).toThrow(
      /Unknown option '--instances'/,
    );
    expect(loadtestHelpFor(referenceRig)).toContain('--compare-shards A,B');
    expect(loadtestHelpFor(undefined)).not.toContain('--instances');
  });

  it('takes its keys from the "reference" section of the config file, and points misplaced or unknown ones out', () => {
    const file = (name: string, body: unknown): string => {
      const p = path.join(work, name);
      writeFileSync(p, JSON.stringify(body));
      return p;
    };
    const ok = config(['--config', file('ok.json', { reference: { scale: 'large', instances: 3 } })], work);
    expect(ok.env.BUSINESSES).toBe('100');
    const top = errorOf(() => config(['--config', file('top.json', { instances: 3 })], work));
    expect(top.code).toBe('CONFIG_INVALID');
    expect(top.message).toContain('top.json#/instances');
    expect(top.fix).toContain('"reference" section');
    const unknown = errorOf(() => config(['--config', file('unknown.json', { reference: { shardz: 2 } })], work));
    expect(unknown.message).toContain('unknown.json#/reference/shardz');
  });
});
