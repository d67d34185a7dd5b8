// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PREFERENCES, preferencesStore } from '../../../shared/storage/preferences-store.ts';
import { dashboardFixture } from '../../../test-support/fixtures.ts';
import { useStubApi } from '../../../test-support/stub-api.ts';
import type { StubApi } from '../../../test-support/stub-api.ts';
import { dashboardQueryKey } from '../api/get-dashboard.ts';
import { DashboardView } from './dashboard-view.tsx';

// The cards render from a deferred copy of the data (one more render after it arrives), and this
// machine may be busy with other tests: wait longer than testing-library's 1 s default.
const SETTLE = { timeout: 5_000 };

let api: StubApi;
useStubApi((started) => {
  api = started;
});
afterEach(() => {
  cleanup();
  localStorage.clear();
});

function renderDashboard(client = new QueryClient({ defaultOptions: { queries: { retry: false } } })) {
  const onFirstData = vi.fn();
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <DashboardView onFirstData={onFirstData} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return { client, onFirstData };
}

describe('DashboardView', () => {
  it('shows skeletons, then one card per metric with value, change and sparkline', async () => {
    api.on('GET', '/api/dashboard', { status: 200, body: dashboardFixture() });
    const { onFirstData } = renderDashboard();
    expect(screen.getByLabelText('Loading metrics')).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'Business 7', level: 1 }, SETTLE)).toBeTruthy();
    const revenue = screen.getByRole('article', { name: 'Revenue' });
    expect(within(revenue).getByTestId('value-revenue').textContent).toBe('$1,234.50');
    expect(within(revenue).getByText('+23%')).toBeTruthy();
    expect(
      within(revenue)
        .getByRole('img', { name: 'Revenue over the last 24 hours' })
        .querySelector('polyline')
        ?.getAttribute('points')
        ?.split(' '),
    ).toHaveLength(24);
    expect(within(screen.getByRole('article', { name: 'Orders' })).getByText('−3.3%')).toBeTruthy();
    expect(within(revenue).getByRole('link', { name: 'Revenue' }).getAttribute('href')).toBe('/metrics/revenue');
    await waitFor(() => expect(onFirstData).toHaveBeenCalledTimes(1), SETTLE);
  });

  it('puts favorite metrics first', async () => {
    preferencesStore.set({ ...DEFAULT_PREFERENCES, favoriteMetrics: ['churn_rate'] });
    api.on('GET', '/api/dashboard', { status: 200, body: dashboardFixture() });
    renderDashboard();
    await screen.findByRole('heading', { name: 'Business 7' }, SETTLE);
    const titles = screen.getAllByRole('article').map((a) => a.getAttribute('aria-labelledby'));
    expect(titles).toEqual(['metric-churn_rate', 'metric-revenue', 'metric-orders']);
    expect(screen.getByRole('button', { name: 'Remove Churn rate from favorites' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
  });

  it('keeps shown data on screen during a background refetch, then shows the new numbers', async () => {
    api.on('GET', '/api/dashboard', { status: 200, body: dashboardFixture() });
    const { client } = renderDashboard();
    await screen.findByTestId('value-orders', {}, SETTLE);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    api.on('GET', '/api/dashboard', () => ({
      status: 200,
      body: dashboardFixture({
        metrics: dashboardFixture().metrics.map((m) => (m.metric === 'orders' ? { ...m, latest: 91 } : m)),
      }),
    }));
    const originalFetch = globalThis.fetch;
    globalThis.fetch = async (...args) => {
      await gate;
      return originalFetch(...args);
    };
    try {
      const refetch = client.invalidateQueries({ queryKey: dashboardQueryKey });
      await waitFor(() => expect(screen.getByRole('status', { name: 'Updating' })).toBeTruthy());
      expect(screen.queryByLabelText('Loading metrics')).toBeNull();
      expect(screen.getByTestId('value-orders').textContent).toBe('87');
      release();
      await refetch;
    } finally {
      globalThis.fetch = originalFetch;
    }
    await waitFor(() => expect(screen.getByTestId('value-orders').textContent).toBe('91'), SETTLE);
  });

  it('says so when the dashboard cannot be loaded', async () => {
    api.on('GET', '/api/dashboard', {
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'database unavailable' } },
    });
    renderDashboard();
    expect((await screen.findByRole('alert', {}, SETTLE)).textContent).toMatch(
      /could not be loaded.*database unavailable/,
    );
  });
});
