import { useState } from 'react';
import { useParams } from 'react-router';
import { AppLink } from '../../../shared/ui/app-link.tsx';
import { usePreferences } from '../../../shared/storage/preferences-store.ts';
import type { Range } from '../../../shared/storage/preferences-store.ts';
import { formatValue } from '../../../shared/ui/format.ts';
import { ErrorPanel, RefreshIndicator } from '../../../shared/ui/status.tsx';
import { useMetricSeries } from '../api/get-metric-series.ts';
import { RangePicker } from './range-picker.tsx';
import { RecordValueForm } from './record-value-form.tsx';
import { SeriesChart } from './series-chart.tsx';

export default function MetricDetailPage() {
  const { metric = '' } = useParams();
  const preferences = usePreferences();
  const [range, setRange] = useState<Range>(preferences.defaultRange);
  const { data, error, isPending, isFetching, isPlaceholderData } = useMetricSeries(metric, range);
  const label = data?.label ?? metric.replace(/_/g, ' ');
  const avg =
    data && data.points.length > 0
      ? data.points.reduce((s, p) => s + p.avg * p.count, 0) /
        Math.max(
          1,
          data.points.reduce((s, p) => s + p.count, 0),
        )
      : null;

  return (
    <section aria-labelledby="metric-title">
      <nav className="breadcrumb small" aria-label="Breadcrumb">
        <AppLink to="/dashboard">Dashboard</AppLink> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">{label}</span>
      </nav>
      <div className="section-header">
        <h1 id="metric-title">{label}</h1>
        <RangePicker value={range} onChange={setRange} />
      </div>
      <div className="card">
        <header className="card-header">
          <p className="muted small">
            Average {formatValue(avg, data?.unit ?? '')} · {data?.points.length ?? 0} buckets of {data?.bucket ?? '—'}
          </p>
          <RefreshIndicator active={isFetching || isPlaceholderData} />
        </header>
        {isPending ? (
          <div className="chart chart--loading" aria-busy="true" />
        ) : data ? (
          <SeriesChart points={data.points} unit={data.unit} label={`${label} over ${range}`} />
        ) : (
          <ErrorPanel title="This metric could not be loaded.">
            {error instanceof Error ? error.message : null}
          </ErrorPanel>
        )}
      </div>
      <div className="card">
        <RecordValueForm metric={metric} label={label} />
      </div>
    </section>
  );
}
