// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useStubApi } from '../../../test-support/stub-api.ts';
import type { StubApi } from '../../../test-support/stub-api.ts';
import { RatesWidget } from './rates-widget.tsx';

let api: StubApi;
useStubApi((started) => {
  api = started;
});
afterEach(cleanup);

const rates = (ageSeconds: number, stale: boolean) => ({
  source: 'stub-upstream',
  fetchedAt: new Date(Date.now() - ageSeconds * 1000).toISOString(),
  ageSeconds,
  stale,
  data: { base: 'USD', rates: { EUR: 0.92, GBP: 0.79, JPY: 151.2 } },
});

function renderWidget() {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <RatesWidget />
    </QueryClientProvider>,
  );
}

describe('RatesWidget', () => {
  it('shows the rates and how old they are', async () => {
    api.on('GET', '/api/external/rates', { status: 200, body: rates(240, false) });
    renderWidget();
    expect((await screen.findByTestId('rates-age')).textContent).toBe('Updated 4 min ago · source: stub-upstream');
    expect(screen.getByRole('row', { name: /EUR/ }).textContent).toContain('0.92');
    expect(screen.queryByText('Stale')).toBeNull();
  });

  it.each([
    ['the server says so (upstream down)', rates(120, true)],
    ['they are older than the 15 min TTL', rates(20 * 60, false)],
  ])('marks the rates stale when %s', async (_why, body) => {
    api.on('GET', '/api/external/rates', { status: 200, body });
    renderWidget();
    expect((await screen.findByTestId('rates-age')).textContent).toMatch(/Stale$/);
  });
});
