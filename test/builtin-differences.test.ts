/**
 * The built-in runner on conformance cases of expected-differences.json, run exactly as the recorder ran
 * real k6 (`k6 run` command line, cwd, environment, signals), for what test/conformance.test.ts does not
 * assert as strictly: a few values compared with k6 v2.2.0's entry without the matrix's tolerances (exit
 * code, whether an export was written, the keys listed; k6's log lines by level and message, a script
 * exception by its class only), c13's start lags by their median, and the sandbox's own limits (no
 * temp folder left, the init time limit, its hint line).
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- the recorder's tools are plain JS
import { caseFacts } from './fixtures/k6/tools/facts.mjs';
// @ts-expect-error -- the recorder's tools are plain JS
import { observe } from './fixtures/k6/tools/observe.mjs';
// @ts-expect-error -- the recorder's tools are plain JS
import { loadCases } from './fixtures/k6/tools/record.mjs';
// @ts-expect-error -- the recorder's tools are plain JS
import { CONFORMANCE_DIR, runK6, startTarget } from './fixtures/k6/tools/run-k6.mjs';

type Entry = Record<string, unknown> & { by_version?: Record<string, Record<string, unknown>> };
const ENTRIES = JSON.parse(readFileSync(join(CONFORMANCE_DIR, 'expected-differences.json'), 'utf8')) as Record<
  string,
  Entry
>;
const CASES = loadCases() as Record<string, unknown>;
const ROOT = join(import.meta.dirname, '..');

/**
 * Case → the keys compared, where this is stricter than the conformance matrix's built-in column (which
 * compares every key of every case, so the cases it holds to the same values are not repeated here):
 * vus_max.max exactly (the matrix allows one VU either way for a 1 s tick), c19@vus2-duration1s's 4
 * iterations of k6 2.2 (the matrix allows 1.3's 6), and c14 and c16@short even on an overloaded machine.
 */
const FOLLOWED: Record<string, string[]> = {
  'c19-cli-overrides-stages@iter2': ['iterations.count', 'vus_max.max'],
  'c19-cli-overrides-stages@duration1s': ['iterations.count', 'vus_max.max'],
  'c19-cli-overrides-stages@vus2-duration1s': ['iterations.count', 'vus_max.max'],
  'c19-cli-overrides-stages@env-and-cli': ['iterations.count', 'vus_max.max'],
  'c14-insufficient-vus': ['log', 'vus_max.max', 'iterations{scenario:car}.count', 'iterations{scenario:ramp}.count'],
  'c16-vus-emission@short': ['ndjson.vus', 'ndjson.vus_max', 'absent_from_export'],
};

const dir = mkdtempSync(join(tmpdir(), 'perfkit-k6-cli-'));
const bin = join(dir, 'k6');
writeFileSync(
  bin,
  `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} --import ${JSON.stringify(join(ROOT, 'node_modules/tsx/dist/esm/index.mjs'))} ${JSON.stringify(join(ROOT, 'scripts/k6.ts'))} "$@"\n`,
);
chmodSync(bin, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An entry's expectation for k6 2.2: the top level overridden by by_version["2.2"]. */
const expected = (name: string): Entry => ({ ...ENTRIES[name], ...(ENTRIES[name]!.by_version?.['2.2'] ?? {}) });

/** k6's log lines by level and message, a message cut at its first line break or " at " location. */
function logKeys(log: Record<string, number> | undefined): string[] {
  return Object.keys(log ?? {})
    .filter((l) => l.startsWith('level='))
    .map((l) => {
      const level = /^level=(\w+)/.exec(l)![1];
      const msg = JSON.parse(/msg=("(?:[^"\\]|\\.)*")/.exec(l)![1]!) as string;
      // A script exception's message is the JS engine's own wording: only its class is compared.
      const first = msg
        .split('\n')[0]!
        .replace(/ at \S+ \(.*$/, '')
        .replace(/^(\w*Error): .*/, '$1');
      return `${level} ${first}`;
    })
    .sort();
}

describe('the built-in runner follows k6 2.x on the cases it no longer differs in', () => {
  for (const [name, keys] of Object.entries(FOLLOWED)) {
    it(name, async () => {
      const target = await startTarget();
      let run: { stderr: string };
      try {
        run = await runK6(bin, CASES[name], target);
      } finally {
        target.stop();
      }
      const got = caseFacts(observe(run), ENTRIES[name]) as Record<string, unknown>;
      const want = expected(name);
      expect(got.exit_code, run.stderr).toBe(want.exit_code);
      expect(got.summary_export_written).toBe(want.summary_export_written);
      for (const key of keys) {
        if (key === 'log') expect(logKeys(got.log as Record<string, number>)).toEqual(logKeys(want.log as never));
        else if (key.startsWith('ndjson.vus')) {
          // 1 s ticks: the same values, each within 0.2 s of k6's (the clock of a loaded machine), as the matrix allows.
          const g = (got[key] ?? []) as { at_s: number; value: number }[];
          const w = (want[key] ?? []) as { at_s: number; value: number }[];
          expect(
            g.map((p) => p.value),
            key,
          ).toEqual(w.map((p) => p.value));
          g.forEach((p, i) => expect(Math.abs(p.at_s - (w[i]?.at_s ?? 0)), key).toBeLessThanOrEqual(0.2));
        } else expect(got[key], key).toEqual(want[key]);
      }
    });
  }
});

/** Runs a case's script with our own run block in a private TMPDIR; returns the run and what it left there. */
async function runOwn(
  script: string,
  run: Record<string, unknown>,
): Promise<{ run: Record<string, unknown> & { stderr: string }; left: string[] }> {
  const tmp = join(dir, `tmp-${Math.random().toString(36).slice(2)}`);
  mkdirSync(tmp);
  const target = await startTarget();
  try {
    const r = await runK6(bin, { script, ...run, env: { TMPDIR: tmp, ...((run.env as object) ?? {}) } }, target);
    return { run: r, left: readdirSync(tmp).filter((f) => f.startsWith('perfkit-runner-')) };
  } finally {
    target.stop();
  }
}

describe('arrival-rate schedules (c13)', () => {
  it('constant-arrival-rate starts at t = 0 and at t = duration; ramping-arrival-rate at area i, 1-based', async () => {
    const name = 'c13-arrival-rate-schedule';
    const target = await startTarget();
    let run: { stderr: string };
    try {
      run = await runK6(bin, CASES[name], target);
    } finally {
      target.stop();
    }
    const got = caseFacts(observe(run), ENTRIES[name]) as Record<string, unknown>;
    expect(got.exit_code, run.stderr).toBe(0);
    const ideal = (ENTRIES[name]!.ideal as { start_offsets_ms: Record<string, number[]> }).start_offsets_ms;
    const offsets = got.start_offsets_ms as Record<string, number[]>;
    // Never early (ramp's first start is at 1 s, not 0). The note allows +50 ms late (k6's largest lag was
    // 13 ms); VU threads here run at nice 12, and with other test files on the same 2 cores single starts
    // were seen 56–117 ms late, so: the median lag within 50 ms, none over 250 ms. exact_fit's tick at
    // t = duration may lose the race with the end, as in k6 2.2.
    const lags: number[] = [];
    for (const [scenario, want] of Object.entries(ideal)) {
      const have = offsets[scenario]!;
      const n = scenario === 'exact_fit' && have.length === want.length - 1 ? have.length : want.length;
      expect(have, scenario).toHaveLength(n);
      have.forEach((ms, i) => {
        expect(ms, `${scenario}[${i}]`).toBeGreaterThanOrEqual(Math.floor(want[i]!) - 1);
        lags.push(ms - want[i]!);
      });
    }
    lags.sort((x, y) => x - y);
    expect(lags[Math.floor(lags.length / 2)]).toBeLessThanOrEqual(50);
    expect(lags.at(-1)).toBeLessThanOrEqual(250);
    expect(got['iterations{scenario:ramp}.count']).toBe(7);
    expect(got['iterations{scenario:off_grid}.count']).toBe(5);
  });
});

describe('the scenario sandbox (where the runner is stricter than k6)', () => {
  it('a scenario importing node:child_process exits 107 at start, naming the module and the fix', async () => {
    const { run, left } = await runOwn('c30-import-node-builtin.js', {});
    expect(run.exit_code).toBe(107);
    expect(run.stderr).toContain('The moduleSpecifier \\"node:child_process\\" couldn\'t be recognised');
    expect(run.stderr).toMatch(/^hint: .*k6 modules/m);
    expect(run.exportText).toBeNull();
    expect(left).toEqual([]);
  });

  it('an endless loop in init ends within 3 s of SIGINT (exit 105) and of SIGTERM, leaving no temp folder', async () => {
    for (const name of ['SIGINT', 'SIGTERM']) {
      const { run, left } = await runOwn('c35-init-infinite-loop.js', {
        signal: { name, afterMs: 3000 },
        timeoutS: 30,
      });
      expect(run.exit_code, run.stderr).toBe(105);
      expect(run.exit_after_signal_seconds).toBeLessThan(3);
      expect(run.stderr).toContain(`k6 received a '${name === 'SIGINT' ? 'interrupt' : 'terminated'}' signal`);
      expect(left).toEqual([]);
    }
  });

  it("an endless loop in a load VU's init ends on SIGINT too", async () => {
    const { run, left } = await runOwn('c35-init-infinite-loop.js', {
      env: { LOOP_IN: 'vu' },
      signal: { name: 'SIGINT', afterMs: 3000 },
      timeoutS: 30,
    });
    expect(run.exit_code, run.stderr).toBe(105);
    expect(run.exit_after_signal_seconds).toBeLessThan(3);
    expect(left).toEqual([]);
  });

  it('an endless loop in init ends at the init time limit with exit 107 and says so', async () => {
    const { run, left } = await runOwn('c35-init-infinite-loop.js', { args: ['--init-timeout', '2s'], timeoutS: 30 });
    expect(run.exit_code, run.stderr).toBe(107);
    expect(run.stderr).toContain('the init code of VU 0 did not finish within 2s');
    expect(run.wall_seconds).toBeLessThan(15);
    expect(left).toEqual([]);
  });
});
