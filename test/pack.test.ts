/**
 * perfkit as another project installs it: `npm pack` (prepack compiles dist-lib/), a scratch project in a
 * temp folder with its own small Express app (two pages, one JSON endpoint), the tarball installed as a dev
 * dependency, then `npx perfkit …` there, with real processes and real Chromium:
 *  - without any config, `perfkit loadtest --target URL --ci` passes by the generic budget;
 *  - after `perfkit init --url URL --yes`, `perfkit loadtest --ci` passes with load, Lighthouse and browser
 *    sections for that app, nothing of the reference app, in a run folder named for the target.
 * The generated files are not edited. Installing takes the dependencies from the npm registry (or its cache).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results, Verdicts } from '../toolkit/results/index.ts';

const ROOT = path.join(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'perfkit-pack-'));
const scratch = path.join(work, 'scratch');
let app: ChildProcess | undefined;
let url = '';

/** The environment of a user's shell: none of the npm run variables of the test's own invocation. */
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_'))),
  PUPPETEER_SKIP_DOWNLOAD: '1',
};

const APP = `import express from 'express';
const page = (title) =>
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
  '<title>' + title + '</title></head><body><h1>' + title + '</h1><p>A small Express app.</p></body></html>';
const app = express();
app.get('/', (_req, res) => res.type('html').send(page('Home')));
app.get('/about', (_req, res) => res.type('html').send(page('About')));
app.get('/api/data', (_req, res) => res.json({ items: [1, 2, 3] }));
const server = app.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
`;

function run(command: string, args: string[], cwd: string, timeout = 300_000) {
  const out = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 << 20 });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr, all: `${out.stdout}\n${out.stderr}` };
}

beforeAll(async () => {
  const pack = run('npm', ['pack', '--pack-destination', work], ROOT);
  expect(pack.code, pack.all).toBe(0);
  const tarball = path.join(work, pack.stdout.trim().split('\n').at(-1) ?? '');
  expect(existsSync(tarball), tarball).toBe(true);
  const listing = run('tar', ['tzf', tarball], work).stdout;
  expect(listing).toContain('package/dist-lib/bin/perfkit.js');
  expect(listing).not.toMatch(/package\/(reference-app|scenarios|test)\/|\.test\.js|package\/toolkit\//);

  spawnSync('mkdir', ['-p', scratch]);
  writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  writeFileSync(path.join(scratch, 'app.mjs'), APP);
  const install = run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '-D', tarball, 'express@5'],
    scratch,
  );
  expect(install.code, install.all).toBe(0);

  app = spawn(process.execPath, ['app.mjs'], { cwd: scratch, stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise<string>((resolve, reject) => {
    app?.stdout?.on('data', (chunk: Buffer) => {
      const port = /listening (\d+)/.exec(chunk.toString())?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    app?.once('exit', (code) => reject(new Error(`the app exited with ${code}`)));
  });
}, 600_000);

afterAll(() => {
  app?.kill();
  rmSync(work, { recursive: true, force: true });
});

const runDirOf = (): string => {
  const port = new URL(url).port;
  const dirs = readdirSync(path.join(scratch, 'reports')).filter((d) => d.endsWith(`-ci-127-0-0-1-${port}`));
  expect(dirs.length).toBe(1);
  return path.join(scratch, 'reports', dirs[0] ?? '');
};
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
/** A report section's text up to the next section. */
const section = (html: string, title: string): string => {
  const start = html.indexOf(`<h2>${title}`);
  expect(start, title).toBeGreaterThan(-1);
  const next = html.indexOf('<h2>', start + 4);
  return html.slice(start, next === -1 ? undefined : next);
};

describe('perfkit installed from its tarball into another project', () => {
  it('measures the app with --target alone, judged by the generic budget', () => {
    const loadtest = run('npx', ['perfkit', 'loadtest', '--target', url, '--ci'], scratch);
    expect(loadtest.code, loadtest.all).toBe(0);
    const runDir = runDirOf();
    const verdicts = readJson<Verdicts>(path.join(runDir, 'verdicts.json'));
    expect(verdicts.budgets).toEqual([expect.stringMatching(/node_modules\/perfkit\/budgets\/generic\.json$/)]);
    expect(readJson<Results>(path.join(runDir, 'results.json')).meta.scenarios).toEqual(['smoke', 'load']);
    rmSync(path.join(scratch, 'reports'), { recursive: true });
  }, 300_000);

  it('after perfkit init, perfkit loadtest --ci passes with load, Lighthouse and browser sections', () => {
    const init = run(
      'npx',
      ['perfkit', 'init', '--url', url, '--pages', '/,/about', '--api', '/api/data', '--yes'],
      scratch,
    );
    expect(init.code, init.all).toBe(0);
    for (const f of ['perfkit.config.json', 'perf/smoke.ts', 'perf/load.ts', 'perf/budget.json'])
      expect(existsSync(path.join(scratch, f)), f).toBe(true);
    // A second init keeps what is there.
    const again = run('npx', ['perfkit', 'init', '--url', url, '--yes'], scratch);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exist.*--force/s);

    const loadtest = run('npx', ['perfkit', 'loadtest', '--ci'], scratch);
    expect(loadtest.code, loadtest.all).toBe(0);
    const runDir = runDirOf();
    const results = readJson<Results>(path.join(runDir, 'results.json'));
    expect(results.meta.scenarios).toEqual(['smoke', 'load']);
    expect(results.api?.endpoints.map((e) => e.name).sort()).toEqual(['/', '/about', '/api/data']);
    expect(results.frontend?.lighthouse.map((l) => l.page).sort()).toEqual(['about', 'home']);
    expect(results.frontend?.browserSamples.length ?? 0).toBeGreaterThan(0);
    expect(readJson<Verdicts>(path.join(runDir, 'verdicts.json')).budgets).toEqual(['perf/budget.json']);
    const html = readFileSync(path.join(runDir, 'index.html'), 'utf8');
    for (const title of ['Load test', 'Lighthouse', 'Browser'])
      expect(section(html, title), title).not.toContain('Not measured');
    expect(section(html, 'Endpoints')).toContain('/api/data');
    expect(html.toLowerCase()).not.toMatch(/reference app|dashboard/);
  }, 300_000);
});
