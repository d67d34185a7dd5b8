/**
 * The toolkit's one loopback rule: IP literals in 127.0.0.0/8, [::1] and
 * localhost; names that merely start with "127." are refused from their text,
 * before any lookup or request, with exit 2 and the rule in the message.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listenLoopback } from '../test/support/loopback.ts';
import { assertLoopbackUrl } from './browser/index.ts';
import { assertReachable } from './target/index.ts';
import { checkLoopbackUrl, isLoopbackUrl, LOOPBACK_RULE, localLookup } from './loopback.ts';

const ROOT = path.join(import.meta.dirname, '..');
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  base = await listenLoopback(server);
});
afterAll(() => closeServer(server));

describe('the loopback rule', () => {
  it('accepts 127.0.0.0/8 literals, [::1] and localhost', () => {
    for (const url of [
      'http://127.0.0.1:3000/',
      'http://127.3.4.5/',
      'http://127.1/', // normalised to 127.0.0.1 by URL parsing
      'https://[::1]:8443/x',
      'http://localhost:3000/',
      'http://LOCALHOST/',
    ])
      expect(isLoopbackUrl(url), url).toBe(true);
  });

  it('refuses names that look like loopback, other addresses and other schemes', () => {
    for (const url of [
      'http://127.attacker.example/',
      'http://127.0.0.1.nip.io/',
      'http://localhost.attacker.example/',
      'http://128.0.0.1/',
      'http://[::ffff:7f00:1]/',
      'http://0.0.0.0/',
      'http://10.0.0.5/',
    ]) {
      expect(isLoopbackUrl(url), url).toBe(false);
      expect(() => checkLoopbackUrl(url, '--target'), url).toThrow(
        expect.objectContaining({ code: 'TARGET_NOT_LOOPBACK', exitCode: 2 }),
      );
    }
    expect(() => checkLoopbackUrl('http://127.attacker.example/', '--target')).toThrow(LOOPBACK_RULE);
    expect(() => checkLoopbackUrl('ftp://127.0.0.1/', '--target')).toThrow(
      expect.objectContaining({ code: 'USAGE', exitCode: 2 }),
    );
    // The browser and Lighthouse use the same rule.
    expect(() => assertLoopbackUrl('http://127.0.0.1.nip.io/', { source: 'lighthouse baseUrl' })).toThrow(
      /lighthouse baseUrl: host "127\.0\.0\.1\.nip\.io" is not a loopback address/,
    );
  });

  it('answers localhost locally and refuses to resolve any other name', async () => {
    const lookup = (host: string) =>
      new Promise<string>((resolve, reject) =>
        localLookup(host, {}, (err, address) => (err ? reject(err) : resolve(address as string))),
      );
    await expect(lookup('localhost')).resolves.toBe('127.0.0.1');
    await expect(lookup('127.0.0.1.nip.io')).rejects.toThrow(/refusing to resolve/);
    await expect(assertReachable(base.replace('127.0.0.1', 'localhost'))).resolves.toBeUndefined();
  });

  it('a refused connection names the errno and the address', async () => {
    const closed = createServer();
    const url = await listenLoopback(closed);
    await closeServer(closed);
    const port = new URL(url).port;
    await expect(assertReachable(url)).rejects.toThrow(new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${port}`));
  });

  it('loadtest refuses such a --target before any lookup: exit 2, the rule named', () => {
    for (const target of ['http://127.0.0.1.nip.io/', 'http://127.attacker.example/']) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/loadtest.ts', '--target', target], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('error TARGET_NOT_LOOPBACK: --target: host');
      expect(r.stderr).toContain(LOOPBACK_RULE);
    }
    const ftp = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/loadtest.ts', '--target', 'ftp://127.0.0.1/'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      },
    );
    expect(ftp.status).toBe(2);
    expect(ftp.stderr).toContain('error USAGE: --target: "ftp://127.0.0.1/" is not an http(s) URL');
  });
});
