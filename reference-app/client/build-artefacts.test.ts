/**
 * The real production build (made by the test run's global setup): what the
 * app serves holds no build artefacts or absolute build paths; stats.json and
 * the analyzer's report sit beside it in build-stats/, where the toolkit and
 * the app's bundleSize still find them.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../toolkit/bundle/analyze.ts';
import type { RunningApp } from '../server/app.ts';
import { startTestApp } from '../server/test-support/harness.ts';
import { BUILD_STATS_DIR, CLIENT_DIR, DIST_DIR, STATS_FILE } from './webpack.config.ts';

describe('client build artefacts', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startTestApp(process.env, { STATIC_DIR: DIST_DIR, UPSTREAM_URL: 'http://127.0.0.1:9' });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('keeps stats.json and the analyzer report out of dist/, and no served file names the build folder', () => {
    const served = readdirSync(DIST_DIR);
    expect(served).toContain('index.html');
    expect(served.filter((f) => /stats|bundle-report/.test(f))).toEqual([]);
    const leaking = served.filter(
      (f) =>
        /\.(js|html|json|txt|css|webmanifest)$/.test(f) &&
        readFileSync(path.join(DIST_DIR, f), 'utf8').includes(CLIENT_DIR),
    );
    expect(leaking).toEqual([]);
    expect(existsSync(path.join(BUILD_STATS_DIR, STATS_FILE))).toBe(true);
    expect(existsSync(path.join(BUILD_STATS_DIR, 'bundle-report.html'))).toBe(true);
  });

  it('serves neither artefact, and still reports the bundle size from beside the build', async () => {
    for (const artefact of [
      '/stats.json',
      '/bundle-report.html',
      '/build-stats/stats.json',
      '/../build-stats/stats.json',
    ]) {
      const r = await fetch(app.url + artefact);
      const text = await r.text();
      expect(text, artefact).not.toContain('"entrypoints"');
      expect(text, artefact).not.toContain(CLIENT_DIR);
    }
    const perf = (await (await fetch(`${app.url}/api/performance`)).json()) as { frontend: { bundleSize: unknown } };
    expect(perf.frontend.bundleSize).toEqual(expect.any(Number));
    expect(perf.frontend.bundleSize).toBeGreaterThan(10_000);
  });

  it('lets the toolkit measure the served files and find the report from the stats file alone', async () => {
    const result = await analyzeBundle({ statsPath: path.join(BUILD_STATS_DIR, STATS_FILE) });
    expect(result.outDir).toBe(DIST_DIR);
    expect(result.reportPath).toBe(path.join(BUILD_STATS_DIR, 'bundle-report.html'));
    expect(result.total.gzip).toBeGreaterThan(10_000);
  });
});
