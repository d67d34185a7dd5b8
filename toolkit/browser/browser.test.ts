import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listenLoopback } from '../../test/support/loopback.ts';
import { ToolkitError } from '../errors.ts';
import { assertLoopbackUrl, findChrome, isLoopbackUrl, isProcessAlive, launchBrowser } from './index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const server = createServer((_req, res) => {
  res.setHeader('content-type', 'text/html');
  res.end('<!doctype html><title>fixture</title><h1 id="x">hello</h1>');
});
let base = '';

beforeAll(async () => {
  base = await listenLoopback(server);
});
afterAll(() => closeServer(server));

async function waitGone(pid: number, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return !isProcessAlive(pid);
}

describe('findChrome', () => {
  it('prefers the real Debian binary over the /usr/bin wrapper', () => {
    const found = findChrome({ PATH: '/usr/bin:/bin' });
    if (existsSync('/usr/lib/chromium/chromium')) expect(found).toBe('/usr/lib/chromium/chromium');
    else expect(found).toMatch(/chrom/);
  });

  it('uses CHROME_PATH when it is executable and rejects it when it is not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perfkit-chrome-'));
    const fake = join(dir, 'my-chrome');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    expect(findChrome({ CHROME_PATH: fake, PATH: '' })).toBe(fake);
    expect(() => findChrome({ CHROME_PATH: join(dir, 'nope'), PATH: '' })).toThrow(/CHROME_PATH=.*nope/);
    rmSync(dir, { recursive: true });
  });

  it('explains how to install a browser when none is found', () => {
    const empty = mkdtempSync(join(tmpdir(), 'perfkit-path-'));
    mkdirSync(join(empty, 'bin'));
    try {
      findChrome({ PATH: join(empty, 'bin') });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ToolkitError);
      expect((err as ToolkitError).code).toBe('BROWSER_MISSING');
      expect((err as ToolkitError).fix).toContain('apt-get install chromium');
      expect((err as ToolkitError).fix).toContain('npx puppeteer browsers install chrome');
    }
    rmSync(empty, { recursive: true });
  });
});

describe('loopback guard', () => {
  it('accepts 127.0.0.1, localhost and [::1] and refuses other hosts', () => {
    for (const url of ['http://127.0.0.1:3000/', 'http://localhost/x', 'http://[::1]:8080/'])
      expect(isLoopbackUrl(url)).toBe(true);
    expect(() => assertLoopbackUrl('http://example.com/')).toThrow(
      expect.objectContaining({ code: 'TARGET_NOT_LOOPBACK' }),
    );
    expect(() => assertLoopbackUrl('http://10.0.0.5:3000/')).toThrow(/10\.0\.0\.5/);
    expect(assertLoopbackUrl('http://example.com/', { allowNonLoopback: true }).hostname).toBe('example.com');
    expect(() => assertLoopbackUrl('ftp://127.0.0.1/')).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});

describe('launchBrowser', () => {
  it('loads a local page, blocks name resolution of other hosts, and leaves nothing behind on close', async () => {
    const tmpRoot = mkdtempSync(join(tmpdir(), 'perfkit-launch-'));
    const launched = await launchBrowser({ env: { PATH: '/usr/bin:/bin' }, tmpRoot });
    try {
      const pid = launched.pid;
      expect(pid).toBeTypeOf('number');
      expect(launched.version).toMatch(/Chrom/);
      const page = await launched.browser.newPage();
      await page.goto(base + '/');
      expect(await page.$eval('#x', (el) => el.textContent)).toBe('hello');
      await expect(page.goto('http://perfkit-test.example/')).rejects.toThrow(/ERR_NAME_NOT_RESOLVED/);
      await launched.close();
      expect(await waitGone(pid ?? -1)).toBe(true);
      expect(existsSync(launched.userDataDir)).toBe(false);
    } finally {
      await launched.close();
      rmSync(tmpRoot, { recursive: true, force: true });
    }
  });

  it('kills the browser when its process gets SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'launch-and-wait.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()));
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const { pid, userDataDir } = JSON.parse(line) as { pid: number; userDataDir: string };
    expect(isProcessAlive(pid)).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(await waitGone(pid)).toBe(true);
    expect(existsSync(userDataDir)).toBe(false);
  });
});
