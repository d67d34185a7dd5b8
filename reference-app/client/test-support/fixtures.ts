import type { Dashboard } from '../features/dashboard/api/get-dashboard.ts';

/** A dashboard answer shaped like GET /api/dashboard (API.md). */
export function dashboardFixture(overrides: Partial<Dashboard> = {}): Dashboard {
  const spark = (base: number) =>
    Array.from({ length: 24 }, (_, i) => ({ t: new Date(Date.UTC(2026, 0, 1, i)).toISOString(), v: base + i }));
  return {
    businessId: 7,
    businessName: 'Business 7',
    generatedAt: new Date().toISOString(),
    metrics: [
      {
        metric: 'revenue',
        label: 'Revenue',
        unit: 'USD',
        latest: 1234.5,
        previous: 1000,
        change: 0.2345,
        min24h: 900,
        max24h: 1300,
        avg24h: 1100,
        sparkline: spark(1000),
      },
      {
        metric: 'orders',
        label: 'Orders',
        unit: 'count',
        latest: 87,
        previous: 90,
        change: -0.033,
        min24h: 60,
        max24h: 95,
        avg24h: 80,
        sparkline: spark(60),
      },
      {
        metric: 'churn_rate',
        label: 'Churn rate',
        unit: '%',
        latest: 2.5,
        previous: 2.5,
        change: 0,
        min24h: 2.1,
        max24h: 2.9,
        avg24h: 2.5,
        sparkline: spark(2),
      },
    ],
    ...overrides,
  };
}
