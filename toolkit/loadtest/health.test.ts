import { spawn } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { validateResults } from '../results/index.ts';
import { generateResults } from '../results/fixtures/generate.ts';
import { evaluateBudget } from '../budgets/evaluate.ts';
import { parseBudget } from '../budgets/load.ts';
import { healthWarnings, machineFacts, startHealthSampler } from './health.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('machine health', () => {
  it('records the machine', () => {
    const m = machineFacts({ k6: 'v1.3.0' });
    expect(m.cores).toBe(os.availableParallelism());
    expect(m.node).toBe(process.version);
    expect(m.memoryBytes).toBeGreaterThan(0);
    const r = generateResults();
    expect(validateResults({ ...r, meta: { ...r.meta, machine: m } }, 'r.json').meta.machine?.k6).toBe('v1.3.0');
    const full = machineFacts({ k6: 'v1.3.0', chromium: '143.0.7499.40', lighthouse: '12.8.2', benchmarkIndex: 1450 });
    const saved = validateResults({ ...r, meta: { ...r.meta, machine: full } }, 'r.json').meta.machine;
    expect(saved).toMatchObject({ chromium: '143.0.7499.40', lighthouse: '12.8.2', benchmarkIndex: 1450 });
  });

  it('warns only when saturation lasted a meaningful share of the run', () => {
    const idle = { busy: 0.3, steal: 0, loadPerCore: 0.4, generator: 0.2 };
    const full = { busy: 0.99, steal: 0, loadPerCore: 2, generator: 0.95 };
    expect(healthWarnings([idle, idle, idle, idle, idle, idle, idle, idle, idle, full], 2)).toEqual([]);
    const w = healthWarnings([idle, full, full, full], 2);
    expect(w.map((x) => x.kind)).toEqual(['machine-saturated', 'generator-saturated']);
    expect(w[0]?.share).toBe(0.75);
    expect(w[0]?.message).toMatch(/saturated for 75 % of the run .* of 2 cores/);
  });

  it('sees a machine whose every core is kept busy by competing processes', async () => {
    const cores = os.availableParallelism();
    const spin = 'const end = Date.now() + 3000; while (Date.now() < end) {}';
    const sampler = startHealthSampler(250);
    const hogs = Array.from({ length: cores }, () => spawn(process.execPath, ['-e', spin], { stdio: 'ignore' }));
    await sleep(3000);
    for (const h of hogs) h.kill('SIGKILL');
    const { samples, warnings } = sampler.stop();
    expect(samples).toBeGreaterThan(6);
    expect(warnings.map((w) => w.kind)).toContain('machine-saturated');
    expect(warnings.map((w) => w.kind)).not.toContain('generator-saturated');

    // The verdicts carry the warnings to the banner, the console and summary.md.
    const r = { ...generateResults(), measurementWarnings: warnings };
    const v = evaluateBudget(validateResults(r, 'r.json'), parseBudget({ api: { errorRate: '<= 100%' } }, 'b.json'));
    expect(v.measurementWarnings?.[0]).toMatch(/the machine was saturated/);
  }, 20_000);
});
