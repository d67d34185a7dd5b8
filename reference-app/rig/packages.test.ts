/** The rig's system packages: found on this machine; named as apt and Homebrew know them when missing. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSystemPackages } from '../../toolkit/setup/index.ts';
import { rigPackages, rigSetupPackages } from './packages.ts';

describe('rig packages', () => {
  it('finds the PostgreSQL server and redis-server here, and asks for nginx and pgbouncer only when wanted', () => {
    const found = checkSystemPackages(rigPackages(), { PATH: process.env.PATH });
    expect(found.map((p) => [p.name, Boolean(p.found)])).toEqual([
      ['postgresql', true],
      ['redis-server', true],
    ]);
    expect(rigSetupPackages('test').map((p) => p.name)).toEqual(['postgresql', 'redis-server', 'nginx', 'pgbouncer']);
    expect(rigSetupPackages('loadtest').map((p) => p.name)).toEqual(['postgresql', 'redis-server']);
  });

  it('reports them missing where there are none', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'rig-packages-'));
    try {
      const missing = checkSystemPackages(rigPackages({ versionRoots: [empty], extraDirs: [empty] }), {
        PATH: empty,
      });
      expect(missing).toEqual([
        { name: 'postgresql', debian: 'postgresql', homebrew: 'postgresql@16', found: undefined },
        { name: 'redis-server', debian: 'redis-server', homebrew: 'redis', found: undefined },
      ]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
