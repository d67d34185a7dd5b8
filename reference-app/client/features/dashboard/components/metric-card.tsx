import { AppLink } from '../../../shared/ui/app-link.tsx';
import { Sparkline } from '../../../shared/ui/sparkline.tsx';
import { formatChange, formatValue, relativeChange } from '../../../shared/ui/format.ts';
import type { DashboardMetric } from '../api/get-dashboard.ts';

interface MetricCardProps {
  metric: DashboardMetric;
  favorite: boolean;
  onToggleFavorite: (metric: string) => void;
}

export function MetricCard({ metric, favorite, onToggleFavorite }: MetricCardProps) {
  const change = relativeChange(metric.latest, metric.previous);
  const trend = change === null || Math.abs(change) < 0.005 ? 'flat' : change > 0 ? 'up' : 'down';
  return (
    <article className="card metric-card" aria-labelledby={`metric-${metric.metric}`}>
      <header className="card-header">
        <h2 id={`metric-${metric.metric}`} className="card-title">
          <AppLink to={`/metrics/${encodeURIComponent(metric.metric)}`}>{metric.label}</AppLink>
        </h2>
        <button
          type="button"
          className={favorite ? 'star star--on' : 'star'}
          aria-pressed={favorite}
          aria-label={favorite ? `Remove ${metric.label} from favorites` : `Add ${metric.label} to favorites`}
          onClick={() => onToggleFavorite(metric.metric)}
        >
          {favorite ? '★' : '☆'}
        </button>
      </header>
      <p className="metric-value" data-testid={`value-${metric.metric}`}>
        {formatValue(metric.latest, metric.unit)}
      </p>
      <p className={`metric-change metric-change--${trend}`}>
        <span className="sr-only">Change since previous period: </span>
        {formatChange(change)}
      </p>
      <Sparkline
        values={metric.sparkline.map((p) => p.v)}
        trend={trend}
        label={`${metric.label} over the last 24 hours`}
      />
      <dl className="metric-range">
        <div>
          <dt>Min</dt>
          <dd>{formatValue(metric.min24h, metric.unit, true)}</dd>
        </div>
        <div>
          <dt>Avg</dt>
          <dd>{formatValue(metric.avg24h, metric.unit, true)}</dd>
        </div>
        <div>
          <dt>Max</dt>
          <dd>{formatValue(metric.max24h, metric.unit, true)}</dd>
        </div>
      </dl>
    </article>
  );
}
