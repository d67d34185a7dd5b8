import type { Results } from '../results/schema.ts';
import type { ChartSpec } from './chart-data.ts';
import { chartGrid } from './charts.ts';
import { html, type SafeHtml } from './escape.ts';
import { bytes, count, kpi, pct, section } from './format.ts';

/** Cache panel: overall hit ratio and per cache kind. */
export function cacheSection(r: Results): SafeHtml {
  const c = r.cache;
  if (!c) return section('cache', 'Cache', null);
  const kinds = Object.entries(c.byKind ?? {});
  const body = html`<div class="kpis">
  ${kpi('Hit ratio', pct(c.hitRatio))}
  ${c.hits !== undefined ? kpi('Hits', count(c.hits)) : ''}
  ${c.misses !== undefined ? kpi('Misses', count(c.misses)) : ''}
  ${c.stale !== undefined ? kpi('Served stale', count(c.stale)) : ''}
</div>
${kinds.length > 0 ? html`<table><thead><tr><th>cache kind</th><th class="num">hits</th><th class="num">misses</th><th class="num">hit ratio</th></tr></thead><tbody>${kinds.map(([k, v]) => html`<tr><td><code>${k}</code></td><td class="num">${count(v.hits)}</td><td class="num">${count(v.misses)}</td><td class="num">${pct(v.hitRatio)}</td></tr>`)}</tbody></table>` : ''}`;
  return section('cache', 'Cache', body);
}

/** Peak and mean resource use per process (the charts show them over time). */
export function resourcesSection(r: Results, specs: ChartSpec[] = []): SafeHtml {
  const procs = r.resources ?? [];
  if (procs.length === 0) return section('resources', 'Resource use', null);
  const rows = procs.map((p) => {
    const cpus = p.samples.map((s) => s.cpu);
    const rss = p.samples.map((s) => s.rssBytes);
    const last = p.samples[p.samples.length - 1];
    // Measured from /proc/<pid>/io where readable; a dash where it was not (never a made-up 0 B).
    const measured = p.samples.some((x) => x.diskReadBytes !== undefined);
    const disk = measured ? p.samples.reduce((s, x) => s + (x.diskReadBytes ?? 0) + (x.diskWriteBytes ?? 0), 0) : null;
    const mean = cpus.length ? cpus.reduce((a, b) => a + b, 0) / cpus.length : null;
    // Databases: their data folder at the end of the run; Redis: the memory its data takes.
    const data =
      last?.diskBytes !== undefined
        ? bytes(last.diskBytes)
        : last?.usedMemoryBytes !== undefined
          ? `${bytes(last.usedMemoryBytes)} in memory`
          : '—';
    return html`<tr><td><code>${p.name}</code> <span class="muted">${p.role}${p.pid !== undefined ? ` · pid ${p.pid}` : ''}</span></td><td class="num">${mean === null ? '—' : `${mean.toFixed(1)}%`}</td><td class="num">${cpus.length ? `${Math.max(...cpus).toFixed(1)}%` : '—'}</td><td class="num">${bytes(rss.length ? Math.max(...rss) : null)}</td><td class="num">${bytes(disk)}</td><td class="num">${data}</td></tr>`;
  });
  const body = html`${chartGrid(specs, 'resources')}<table><thead><tr><th>process</th><th class="num">mean CPU</th><th class="num">peak CPU</th><th class="num">peak memory</th><th class="num">disk I/O</th><th class="num">data size</th></tr></thead><tbody>${rows}</tbody></table><p class="muted">CPU in percent of one core. Data size: the data folder on disk at the end of the run (databases), or Redis's used_memory.</p>`;
  return section('resources', 'Resource use', body);
}
