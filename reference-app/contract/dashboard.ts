/**
 * Shapes of GET /api/dashboard (reference-app/API.md), shared by the server that
 * builds them and the browser app that draws them. Types only: no runtime code.
 */

/** One metric's card on the dashboard. */
export interface DashboardMetric {
  metric: string;
  label: string;
  unit: string;
  latest: number | null;
  previous: number | null;
  /** (latest - previous) / |previous|; null without a non-zero previous value. */
  change: number | null;
  min24h: number | null;
  max24h: number | null;
  avg24h: number | null;
  sparkline: { t: string; v: number }[];
}

/** The whole dashboard of the signed-in user's business. */
export interface Dashboard {
  businessId: number;
  businessName: string;
  generatedAt: string;
  metrics: DashboardMetric[];
}
