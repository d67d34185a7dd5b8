import { formatValue } from '../../../shared/ui/format.ts';
import type { SeriesPoint } from '../api/get-metric-series.ts';

const W = 720;
const H = 240;
const PAD = { top: 12, right: 12, bottom: 24, left: 12 };

/** An SVG line chart of bucket averages over a min–max band; no chart library. */
export function SeriesChart({ points, unit, label }: { points: SeriesPoint[]; unit: string; label: string }) {
  if (points.length === 0) return <p className="panel">No data in this range.</p>;
  const lo = Math.min(...points.map((p) => p.min));
  const hi = Math.max(...points.map((p) => p.max));
  const span = hi - lo || 1;
  const x = (i: number) => PAD.left + (points.length > 1 ? (i / (points.length - 1)) * (W - PAD.left - PAD.right) : 0);
  const y = (v: number) => PAD.top + (1 - (v - lo) / span) * (H - PAD.top - PAD.bottom);
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.avg).toFixed(1)}`).join(' ');
  const band = [
    ...points.map((p, i) => `${x(i).toFixed(1)},${y(p.max).toFixed(1)}`),
    ...points.map((p, i) => `${x(i).toFixed(1)},${y(p.min).toFixed(1)}`).reverse(),
  ].join(' ');
  const first = points[0];
  const last = points[points.length - 1];
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${label}: from ${formatValue(first?.avg, unit)} to ${formatValue(last?.avg, unit)}, ranging ${formatValue(lo, unit)} to ${formatValue(hi, unit)}`}
        preserveAspectRatio="none"
      >
        <polygon className="chart-band" points={band} />
        <polyline className="chart-line" points={line} fill="none" strokeWidth="2" vectorEffect="non-scaling-stroke" />
      </svg>
      <figcaption className="chart-axis small muted">
        <span>
          {first
            ? new Date(first.t).toLocaleString('en-US', {
                month: 'short',
                day: 'numeric',
                hour: '2-digit',
                minute: '2-digit',
              })
            : ''}
        </span>
        <span>
          low {formatValue(lo, unit)} · high {formatValue(hi, unit)}
        </span>
        <span>
          {last
            ? new Date(last.t).toLocaleString('en-US', {
                month: 'short',
                day: 'numeric',
                hour: '2-digit',
                minute: '2-digit',
              })
            : ''}
        </span>
      </figcaption>
    </figure>
  );
}
