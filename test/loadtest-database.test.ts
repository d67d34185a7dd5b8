/**
 * The database evidence of a real run (private stack, seed, the reference
 * app, smoke + replica scenarios): the seed's statements are gone from the
 * slow-query list and the per-query table, the run window's statements are
 * there, and the replica's lag, connections per server and the buffer hit
 * ratio are sampled through the run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLoadtest as runToolkitLoadtest } from '../toolkit/cli/loadtest/command.ts';
import { referenceRig } from '../reference-app/rig/provider.ts';
import { validateResults } from '../toolkit/results/index.ts';

const ROOT = path.join(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'perfkit-dbtruth-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What the seed runs (COPY … FROM STDIN, VACUUM (ANALYZE), index builds, its inserts); none of it is the run's. */
const SEED_STATEMENT = /\bCOPY\b|\bVACUUM\b|\bANALYZE\b|CREATE (UNIQUE )?INDEX|\bTRUNCATE\b|generate_series/i;

describe('database truth of a run', () => {
  it('lists no seed statement and samples replica lag through a run with the replica scenario', async () => {
    const outDir = path.join(work, 'reports');
    const out: string[] = [];
    const err: string[] = [];
    const argv = ['--scenario', 'smoke', '--scenario', 'replica', '-e', 'DURATION=12s'];
    argv.push('--no-lighthouse', '--no-browser-under-load', '--instances', '1', '--out', outDir, '--json');
    const code = await runToolkitLoadtest(
      {
        argv,
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        stdout: { write: (s: string) => out.push(s) },
        stderr: { write: (s: string) => err.push(s) },
      },
      { defaultTarget: referenceRig },
    );
    expect([0, 1], err.join('')).toContain(code);
    const { runId } = JSON.parse(out.join('')) as { runId: string };
    const file = path.join(outDir, runId, 'results.json');
    const results = validateResults(JSON.parse(readFileSync(file, 'utf8')), 'results.json');
    const db = results.database;
    expect(db).toBeDefined();

    // The seed's statements were reset away: neither the slow list nor the per-query table has one.
    expect(db?.slowQueries.filter((q) => SEED_STATEMENT.test(q))).toEqual([]);
    const queries = db?.queries ?? [];
    expect(queries.filter((q) => SEED_STATEMENT.test(q.query))).toEqual([]);
    // …while the run's own statements are there, on both servers, with their share of the time.
    expect(queries.length).toBeGreaterThan(3);
    expect(queries.some((q) => q.server === 'replica' && /^select/i.test(q.query))).toBe(true);
    expect(queries.some((q) => q.server === 'primary' && /^(update|insert)/i.test(q.query))).toBe(true);
    expect(queries.every((q) => q.calls > 0 && Math.abs(q.meanMs - q.totalMs / q.calls) <= 0.001)).toBe(true);
    expect(queries.map((q) => q.totalMs)).toEqual([...queries.map((q) => q.totalMs)].sort((a, b) => b - a));
    const share = queries.reduce((s, q) => s + q.share, 0);
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThanOrEqual(1.0001);
    expect(queries.some((q) => /pg_stat_|pg_last_/.test(q.query))).toBe(false);

    // Replica lag measured through the run, sampled each second like the other series.
    expect(typeof db?.replicaLagMs).toBe('number');
    expect(typeof db?.replicaLagBytes).toBe('number');
    const series = db?.series ?? [];
    const phases = results.phases ?? [];
    expect(phases.map((p) => p.name)).toEqual(['smoke', 'replica']);
    const replica = phases[1];
    const during = series.filter((p) => replica && p.t >= replica.start && p.t <= replica.end);
    expect(during.length).toBeGreaterThanOrEqual(8);
    expect(during.every((p) => p.replicaLagBytes !== null && p.replicaLagSeconds !== null)).toBe(true);
    expect(during.some((p) => (p.connections['replica'] ?? 0) > 0)).toBe(true);
    expect(during.some((p) => (p.connections['primary'] ?? 0) > 0)).toBe(true);
    expect(during.some((p) => p.cacheHitRatio !== null && p.cacheHitRatio > 0.5)).toBe(true);
  }, 300_000);
});
