import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ToolkitError } from '../../../toolkit/errors.ts';
import { initialJsForRoute } from './initial-js.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'initial-js-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeStats(stats: object): string {
  const file = path.join(dir, 'stats.json');
  writeFileSync(file, JSON.stringify({ outputPath: dir, ...stats }));
  return file;
}

describe('initialJsForRoute', () => {
  it('sums the entry scripts and the route chunk once each, gzipped', () => {
    writeFileSync(path.join(dir, 'main.js'), 'x'.repeat(5000));
    writeFileSync(path.join(dir, 'vendor.js'), 'abcdefghij'.repeat(300));
    writeFileSync(path.join(dir, 'vendor.js.gz'), Buffer.alloc(123));
    writeFileSync(path.join(dir, 'route.js'), 'console.log(1)');
    const stats = writeStats({
      entrypoints: { main: { assets: [{ name: 'main.js' }, { name: 'vendor.js' }, { name: 'main.css' }] } },
      namedChunkGroups: { 'route-dashboard': { assets: [{ name: 'route.js' }, { name: 'vendor.js' }] } },
    });
    const result = initialJsForRoute(stats, 'route-dashboard');
    expect(result.scripts.map((s) => s.name)).toEqual(['main.js', 'vendor.js', 'route.js']);
    const mainGzip = zlib.gzipSync('x'.repeat(5000), { level: 9 }).length;
    const routeGzip = zlib.gzipSync('console.log(1)', { level: 9 }).length;
    expect(result.gzipBytes).toBe(mainGzip + 123 + routeGzip);
    expect(result.bytes).toBe(5000 + 3000 + 14);
  });

  it('names the missing chunk group and how to fix it', () => {
    const stats = writeStats({ entrypoints: { main: { assets: [{ name: 'main.js' }] } }, namedChunkGroups: {} });
    expect(() => initialJsForRoute(stats, 'route-dashboard')).toThrow(ToolkitError);
    expect(() => initialJsForRoute(stats, 'route-dashboard')).toThrow(/#\/namedChunkGroups\/route-dashboard/);
    expect(() => initialJsForRoute(path.join(dir, 'nope.json'), 'x')).toThrow(
      expect.objectContaining({ code: 'FILE_NOT_FOUND', fix: 'run `npm run build` first' }),
    );
  });
});
