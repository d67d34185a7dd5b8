import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli/io.ts';
import { FIXTURE_EMAIL, FIXTURE_PASSWORD, startSiteServer } from './fixtures/site-server.ts';
import type { SiteServer } from './fixtures/site-server.ts';
import { pageNameOf, runLighthouseCli } from './cli.ts';
import type { LighthouseResult } from './index.ts';

let site: SiteServer;
let dir: string;

beforeAll(async () => {
  site = await startSiteServer();
  dir = mkdtempSync(join(tmpdir(), 'perfkit-lh-cli-'));
});
afterAll(async () => {
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

function io(argv: string[]): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    argv,
    env: { PATH: '/usr/bin:/bin' },
    cwd: dir,
    stdout: { write: (c: string) => out.push(c) },
    stderr: { write: (c: string) => err.push(c) },
    out,
    err,
  };
}

describe('npm run lighthouse', () => {
  it('audits a protected page logged in through the API and keeps JSON and HTML reports', async () => {
    const cli = io([
      '--url',
      `${site.url}/dashboard`,
      '--runs',
      '1',
      '--email',
      FIXTURE_EMAIL,
      '--password',
      FIXTURE_PASSWORD,
      '--out',
      'lh',
      '--json',
    ]);
    expect(await runLighthouseCli(cli)).toBe(0);
    const result = JSON.parse(cli.out.join('')) as LighthouseResult;
    const audit = result.audits[0];
    expect(result.lighthouseVersion).toMatch(/^12\./);
    expect(audit?.page).toBe('dashboard');
    expect(audit?.preset).toBe('mobile');
    const run = audit?.representative;
    // the protected page itself was audited, not the login page it redirects to without a session
    expect(run?.finalUrl).toBe(`${site.url}/dashboard`);
    for (const value of Object.values(run?.scores ?? {})) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    expect(run?.metrics.lcp).toBeGreaterThan(0);
    expect(run?.metrics.fcp).toBeGreaterThan(0);
    expect(run?.resources.script?.requestCount).toBeGreaterThanOrEqual(1);
    expect(run?.resources.stylesheet?.transferSize).toBeGreaterThan(0);
    expect(site.hits.get('/api/dashboard')).toBeGreaterThanOrEqual(1);
    expect(run?.jsonPath).toBe(join(dir, 'lh', 'dashboard-mobile-cold-run1.report.json'));
    const lhr = JSON.parse(readFileSync(run?.jsonPath ?? '', 'utf8')) as { finalDisplayedUrl: string };
    expect(lhr.finalDisplayedUrl).toBe(`${site.url}/dashboard`);
    expect(readFileSync(run?.htmlPath ?? '', 'utf8').includes('__LIGHTHOUSE_JSON__')).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'lh', 'lighthouse.json'), 'utf8'))).toEqual(result);
    const stderr = cli.err.join('');
    expect(stderr).toMatch(/^lighthouse dashboard mobile cold run 1\/1: perf [01]\.\d\d, LCP \d+\.\d s$/m);
    expect(stderr).toContain(`reports: ${join(dir, 'lh')}`);
  });

  it('prints help, and rejects bad flags and non-loopback targets before starting a browser', async () => {
    const help = io(['--help']);
    expect(await runLighthouseCli(help)).toBe(0);
    expect(help.out.join('')).toContain('Usage: npm run lighthouse');
    await expect(runLighthouseCli(io([]))).rejects.toMatchObject({ code: 'USAGE', message: '--url is required' });
    await expect(runLighthouseCli(io(['--url', `${site.url}/`, '--preset', 'tablet']))).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('--preset'),
    });
    await expect(runLighthouseCli(io(['--url', `${site.url}/`, '--runs', '0']))).rejects.toMatchObject({
      code: 'USAGE',
    });
    await expect(runLighthouseCli(io(['--url', `${site.url}/`, '--email', 'a@b.c']))).rejects.toMatchObject({
      code: 'USAGE',
    });
    await expect(runLighthouseCli(io(['--url', `${site.url}/`, '--bogus']))).rejects.toMatchObject({ code: 'USAGE' });
    await expect(runLighthouseCli(io(['--url', 'http://example.com/']))).rejects.toMatchObject({
      code: 'TARGET_NOT_LOOPBACK',
    });
  });

  it('derives page names from paths', () => {
    expect(pageNameOf('/')).toBe('home');
    expect(pageNameOf('/dashboard')).toBe('dashboard');
    expect(pageNameOf('/a/b/')).toBe('a-b');
  });
});
