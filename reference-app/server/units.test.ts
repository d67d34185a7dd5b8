import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { formatLsn, parseLsn } from './db/lsn.ts';
import { rewriteAssets } from './http/static-files.ts';
import { createLogger } from './log.ts';
import { emptyHistogram, merge, quantile, record } from './metrics/histogram.ts';
import { hashPassword, verifyPassword } from './sessions/passwords.ts';

describe('server units', () => {
  it('reads the seed CacheConfig from env with overridable TTLs and names bad variables', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://x/y', REDIS_URL: 'redis://x' });
    expect(c.cache.metrics).toEqual({ ttlMs: 300_000, invalidation: 'on_data_update' });
    expect(c.cache.userData).toEqual({ ttlMs: 1_800_000, invalidation: 'on_user_update' });
    expect(c.cache.externalAPIs).toEqual({ ttlMs: 900_000, invalidation: 'on_schedule' });
    expect(loadConfig({ DATABASE_URL: 'p', REDIS_URL: 'r', CACHE_METRICS_TTL_MS: '1500' }).cache.metrics.ttlMs).toBe(
      1500,
    );
    expect(() => loadConfig({ REDIS_URL: 'r', PORT: 'x' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: 'r', PORT: 'x' })).toThrow(/DATABASE_URL.*PORT|PORT.*DATABASE_URL/);
  });

  it('compares WAL positions', () => {
    const a = parseLsn('0/3000060');
    const b = parseLsn('1/10');
    expect(a).not.toBeNull();
    expect((b ?? 0n) > (a ?? 0n)).toBe(true);
    expect(formatLsn(b ?? 0n)).toBe('1/10');
    expect(parseLsn('garbage')).toBeNull();
  });

  it('merges histograms across instances and reads percentiles within 2 %', () => {
    const x = emptyHistogram();
    const y = emptyHistogram();
    for (let i = 1; i <= 500; i += 1) record(x, i);
    for (let i = 501; i <= 1000; i += 1) record(y, i);
    const m = merge(merge(emptyHistogram(), x), y);
    expect(m.count).toBe(1000);
    expect(quantile(m, 0.95)).toBeGreaterThan(950 * 0.98);
    expect(quantile(m, 0.95)).toBeLessThan(950 * 1.03);
    expect(quantile(emptyHistogram(), 0.5)).toBeNull();
  });

  it('stores scrypt hashes as scrypt$N$r$p$salt$hash and verifies them', async () => {
    const h = await hashPassword('s3cret', { N: 1024, r: 8, p: 1, keyLen: 32 });
    expect(h).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('s3cret', h)).toBe(true);
    expect(await verifyPassword('nope', h)).toBe(false);
    expect(await verifyPassword('s3cret', 'plain')).toBe(false);
  });

  it('never logs secrets', () => {
    const lines: string[] = [];
    const log = createLogger('info', {}, (l) => lines.push(l));
    log.error('x', {
      password: 'hunter2',
      headers: { cookie: 'sid=abc' },
      url: 'postgres://user:pw@host/db',
      sid: 'abc',
    });
    const out = lines.join('');
    expect(out).not.toMatch(/hunter2|sid=abc|:pw@|"abc"/);
    expect(out).toContain('postgres://user:***@host/db');
  });

  it('points hashed assets at a CDN base URL, leaving other references alone', () => {
    const html =
      '<link href="/main.0a1b2c3d4e.css" rel="stylesheet"><script src="/assets/app.12345678ab.js"></script><link rel="manifest" href="/manifest.json">';
    const out = rewriteAssets(html, 'https://cdn.example.com/app/');
    expect(out).toContain('href="https://cdn.example.com/app/main.0a1b2c3d4e.css"');
    expect(out).toContain('src="https://cdn.example.com/app/assets/app.12345678ab.js"');
    expect(out).toContain('href="/manifest.json"');
    expect(
      rewriteAssets(
        '<script defer src=/runtime.0135ab2338.js></script><link rel=preload as=fetch href=/api/dashboard>',
        'https://cdn.example.com',
      ),
    ).toBe(
      '<script defer src=https://cdn.example.com/runtime.0135ab2338.js></script><link rel=preload as=fetch href=/api/dashboard>',
    );
  });
});
