#!/usr/bin/env -S npx tsx
// Records the report's render-test fixture from two real runs of the reference app (a baseline, then a run
// judged against it): smoke + replica scenarios, a short load, three Lighthouse runs per page and preset (so
// the report lists every run's scores).
// Writes toolkit/report/fixtures/real-run.json and real-run-baseline.json (the Lighthouse report files are
// left out: the fixture is the results model only). `npx tsx scripts/record-report-fixture.ts`
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main, type CliIo } from '../toolkit/cli/io.ts';
import { runLoadtest } from '../toolkit/cli/loadtest/command.ts';
import { referenceRig } from '../reference-app/rig/provider.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'toolkit', 'report', 'fixtures');

/** One run with the fixture's settings; its results.json path. */
async function run(io: CliIo, outDir: string, baseline?: string): Promise<string> {
  const out: string[] = [];
  const argv = ['--scenario', 'smoke', '--scenario', 'replica', '-e', 'DURATION=15s', '--lighthouse-runs', '3'];
  argv.push('--instances', '1', '--out', outDir, '--json', ...(baseline ? ['--baseline', baseline] : []));
  const code = await runLoadtest(
    { ...io, argv, stdout: { write: (s: string) => out.push(s) } },
    { defaultTarget: referenceRig },
  );
  if (code > 1) throw new Error(`the run failed with exit ${code}`);
  const { runId } = JSON.parse(out.join('')) as { runId: string };
  return path.join(outDir, runId, 'results.json');
}

await main(async (io) => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'perfkit-fixture-'));
  try {
    io.stderr.write('recording the baseline run…\n');
    const before = await run(io, outDir);
    io.stderr.write('recording the run judged against it…\n');
    const after = await run(io, outDir, before);
    for (const [from, name] of [
      [before, 'real-run-baseline.json'],
      [after, 'real-run.json'],
    ] as const) {
      const results = JSON.parse(readFileSync(from, 'utf8')) as Record<string, unknown>;
      delete results['$schema'];
      writeFileSync(path.join(FIXTURES, name), JSON.stringify(results) + '\n');
      io.stderr.write(`wrote toolkit/report/fixtures/${name}\n`);
    }
    return 0;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
