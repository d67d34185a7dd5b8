import { describe, expect, it } from 'vitest';
import { generateResults } from '../results/fixtures/generate.ts';
import type { Results } from '../results/schema.ts';
import { loadReportAssets } from './assets.ts';
import { chartSpecs } from './charts.ts';
import { renderReport } from './render.ts';

function withScalingAndDisk(): Results {
  const r = generateResults({ seed: 3 });
  const resources = (r.resources ?? []).map((p) => ({
    ...p,
    samples: p.samples.map((s, i) =>
      p.role === 'database'
        ? { ...s, diskBytes: 40e6 + i * 1e5 }
        : p.role === 'cache'
          ? { ...s, usedMemoryBytes: 2e6 }
          : s,
    ),
  }));
  return {
    ...r,
    resources,
    scaling: {
      min: 1,
      max: 4,
      series: [
        { t: 0, instances: 1 },
        { t: 12, instances: 1 },
        { t: 12, instances: 2 },
        { t: 40, instances: 2 },
        { t: 40, instances: 1 },
      ],
      decisions: [
        {
          t: 12,
          at: '2026-11-25T10:00:12.000Z',
          action: 'up',
          reason: 'cpu 91% > 75% <script>x</script>',
          from: 1,
          to: 2,
        },
        { t: 40, at: '2026-11-25T10:00:40.000Z', action: 'down', reason: 'cpu 3% low', from: 2, to: 1 },
      ],
    },
  };
}

describe('auto-scaling and disk in the report', () => {
  it('charts the instance count and data folder sizes', () => {
    const specs = chartSpecs(withScalingAndDisk());
    const instances = specs.find((s) => s.id === 'instances');
    expect(instances).toMatchObject({
      title: 'App instances over time',
      x: [0, 12, 12, 40, 40],
      series: [{ label: 'instances', values: [1, 1, 2, 2, 1] }],
    });
    const disk = specs.find((s) => s.id === 'disk');
    const databases = (withScalingAndDisk().resources ?? []).filter((p) => p.role === 'database').map((p) => p.name);
    expect(databases.length).toBeGreaterThan(0);
    expect(disk?.series.map((s) => s.label)).toEqual(databases);
    expect(disk?.series[0]?.values[0]).toBe(40);
    expect(specs.find((s) => s.id === 'used-memory')?.series.length).toBeGreaterThan(0);
  });

  it('lists the decisions, escaped, and leaves the section out for runs without auto-scaling', () => {
    const page = renderReport(withScalingAndDisk(), null, loadReportAssets());
    expect(page).toContain('id="scaling"');
    expect(page).toContain('App instances over time');
    expect(page).toMatch(/12\.0 s<\/td><td>scale up<\/td><td class="num">1 → 2<\/td>/);
    expect(page).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(page).not.toContain('<script>x</script>');
    expect(page).toMatch(/4\d\.\d+ MB/);
    const plain = renderReport(generateResults({ seed: 3 }), null, loadReportAssets());
    expect(plain).not.toContain('id="scaling"');
  });
});
