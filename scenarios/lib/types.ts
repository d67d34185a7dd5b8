/** Response bodies of the reference app, as reference-app/API.md documents them. */

/** One metric card on the dashboard. */
export interface DashboardMetric {
  metric: string;
  label: string;
  unit: string;
  latest: number | null;
  previous: number | null;
  change: number | null;
  min24h: number | null;
  max24h: number | null;
  avg24h: number | null;
  sparkline: Array<{ t: string; v: number }>;
}

/** GET /api/dashboard */
export interface Dashboard {
  businessId: number;
  businessName: string;
  generatedAt: string;
  metrics: DashboardMetric[];
}

/** Bucket sizes the series endpoint accepts. */
export type Bucket = '5m' | '1h' | '1d';

/** The query of GET /api/metrics/:metric/series */
export interface SeriesQuery {
  metric: string;
  from: string;
  to: string;
  bucket: Bucket;
}

/** GET /api/metrics/:metric/series */
export interface Series {
  metric: string;
  label: string;
  unit: string;
  from: string;
  to: string;
  bucket: Bucket;
  points: Array<{ t: string; avg: number; min: number; max: number; count: number }>;
}

/** A user's preferences. */
export interface Preferences {
  theme: 'light' | 'dark' | 'system';
  defaultRange: '24h' | '7d' | '30d';
  favoriteMetrics: string[];
  version: 1;
}

/** GET and PATCH /api/profile */
export interface Profile {
  user: { id: number; email: string; displayName: string; role: string; businessId: number; businessName: string };
  preferences: Preferences;
}

/** GET /api/external/rates */
export interface Rates {
  source: string;
  fetchedAt: string;
  ageSeconds: number;
  stale: boolean;
  data: { base: string; rates: Record<string, number> };
}
