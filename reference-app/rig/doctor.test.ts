/** The rig's part of the doctor: the test run's services pass; a service that does not answer fails with a fix. */
import { describe, expect, inject, it } from 'vitest';
import type { CliIo } from '../../toolkit/cli/io.ts';
import { runDoctor } from '../../toolkit/setup/index.ts';
import { rigDoctor } from './doctor.ts';

const PATH = process.env.PATH ?? '/usr/bin:/bin';

function io(argv: string[], env: Record<string, string | undefined>): { io: CliIo; out: string[] } {
  const out: string[] = [];
  return {
    out,
    io: { argv, env, cwd: process.cwd(), stdout: { write: (c: string) => out.push(c) }, stderr: { write: () => true } },
  };
}

describe('doctor with the reference rig', () => {
  it('passes on the test stack and prints its table', async () => {
    const urls = inject('stackUrls');
    const run = io([], { PATH, DATABASE_URL: urls.primary, DATABASE_REPLICA_URL: urls.replica, REDIS_URL: urls.redis });
    expect(await runDoctor(run.io, { sections: [rigDoctor] })).toBe(0);
    const table = run.out.join('');
    expect(table).toMatch(/^postgresql binaries\s+ok\s+postgres \(PostgreSQL\)/m);
    expect(table).toMatch(/^replica\s+ok\s+streaming at/m);
    expect(table).toMatch(/^redis\s+ok\s+PONG/m);
    expect(table).toMatch(/^k6\s+(ok|info)/m);
    expect(table).toMatch(/^nginx\s+info\s+nginx version: nginx\//m);
    expect(table).toMatch(/^pgbouncer\s+info\s+PgBouncer \d/m);
  });

  it('fails with exit 2 and a fix when a service does not answer', async () => {
    const urls = inject('stackUrls');
    const run = io(['--json'], {
      PATH,
      DATABASE_URL: urls.primary,
      DATABASE_REPLICA_URL: urls.primary,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(await runDoctor(run.io, { sections: [rigDoctor] })).toBe(2);
    const report = JSON.parse(run.out.join('')) as {
      ok: boolean;
      checks: { name: string; ok: boolean; fix?: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['replica', 'redis']);
    expect(report.checks.find((c) => c.name === 'redis')?.fix).toMatch(/stack -- status/);
  });
});
