import { memo, useCallback, useDeferredValue, useEffect, useRef } from 'react';
import { useIsFetching } from '@tanstack/react-query';
import { preferencesStore, usePreferences } from '../../../shared/storage/preferences-store.ts';
import { ErrorPanel, RefreshIndicator, SkeletonCards } from '../../../shared/ui/status.tsx';
import { formatClock } from '../../../shared/ui/format.ts';
import { dashboardQueryKey, useDashboard } from '../api/get-dashboard.ts';
import type { DashboardMetric } from '../api/get-dashboard.ts';
import { MetricCard } from './metric-card.tsx';

/** Favorites first, each group in the server's order. */
export function orderMetrics(metrics: DashboardMetric[], favorites: string[]): DashboardMetric[] {
  const fav = new Set(favorites);
  return [...metrics.filter((m) => fav.has(m.metric)), ...metrics.filter((m) => !fav.has(m.metric))];
}

interface DashboardViewProps {
  /** Called once, after the first data has been committed to the DOM (for the renderTime measure). */
  onFirstData?: () => void;
  /** Saves a favorites change (locally at once, then to the server). */
  onFavoritesChange?: (favorites: string[]) => void;
}

export function DashboardView({ onFirstData, onFavoritesChange }: DashboardViewProps) {
  const { data: latest, error, isPending } = useDashboard();
  // React Query hands new data to React as an urgent update, rendered in one
  // uninterrupted task. Rendering the cards from a deferred copy makes the
  // urgent render trivial (the previous screen again) and lets React build
  // the new cards at transition priority, in slices that yield to the browser.
  const data = useDeferredValue(latest);
  const fetching = useIsFetching({ queryKey: dashboardQueryKey }) > 0;
  const preferences = usePreferences();
  const reported = useRef(false);

  useEffect(() => {
    if (data && !reported.current) {
      reported.current = true;
      onFirstData?.();
    }
  }, [data, onFirstData]);

  const toggleFavorite = useCallback(
    (metric: string) => {
      const current = preferences.favoriteMetrics;
      const next = current.includes(metric) ? current.filter((m) => m !== metric) : [...current, metric];
      if (onFavoritesChange) onFavoritesChange(next);
      else preferencesStore.set({ ...preferences, favoriteMetrics: next });
    },
    [preferences, onFavoritesChange],
  );

  if (isPending || (latest && !data)) return <SkeletonCards count={8} />;
  if (!data)
    return (
      <ErrorPanel title="The dashboard could not be loaded.">
        {error instanceof Error ? error.message : null}
      </ErrorPanel>
    );

  return (
    <section aria-labelledby="dashboard-title">
      <div className="section-header">
        <h1 id="dashboard-title">{data.businessName}</h1>
        <p className="muted small">
          <RefreshIndicator active={fetching} /> Updated {formatClock(Date.parse(data.generatedAt))}
        </p>
      </div>
      <MetricCards metrics={data.metrics} favorites={preferences.favoriteMetrics} onToggleFavorite={toggleFavorite} />
    </section>
  );
}

interface MetricCardsProps {
  metrics: DashboardMetric[];
  favorites: string[];
  onToggleFavorite: (metric: string) => void;
}

/** The card grid; memoised so an urgent re-render of the view with the same data skips it. */
const MetricCards = memo(function MetricCards({ metrics, favorites, onToggleFavorite }: MetricCardsProps) {
  if (metrics.length === 0) return <p className="panel">No metrics recorded yet.</p>;
  return (
    <div className="card-grid">
      {orderMetrics(metrics, favorites).map((m) => (
        <MetricCard
          key={m.metric}
          metric={m}
          favorite={favorites.includes(m.metric)}
          onToggleFavorite={onToggleFavorite}
        />
      ))}
    </div>
  );
});
