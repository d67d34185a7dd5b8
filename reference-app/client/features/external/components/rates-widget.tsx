import { useIsFetching } from '@tanstack/react-query';
import { formatAgo, formatRate } from '../../../shared/ui/format.ts';
import { RefreshIndicator } from '../../../shared/ui/status.tsx';
import { useNow } from '../../../shared/ui/use-now.ts';
import { ratesQueryKey, useRates } from '../api/get-rates.ts';
import { RatesPlaceholder } from './rates-placeholder.tsx';

const SHOWN = ['EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD'];
const STALE_AFTER_MS = 15 * 60_000;

/** Exchange rates from the external API, with their age and a marker when they are stale. */
export function RatesWidget() {
  const { data, isPending, error, dataUpdatedAt } = useRates();
  const fetching = useIsFetching({ queryKey: ratesQueryKey }) > 0;
  const now = useNow();

  if (isPending) return <RatesPlaceholder />;
  if (!data) {
    return (
      <aside className="card rates" aria-label="Exchange rates">
        <h2 className="card-title">Exchange rates</h2>
        <p className="muted">Rates are unavailable{error instanceof Error ? `: ${error.message}` : '.'}</p>
      </aside>
    );
  }
  // The server's age at answer time plus what passed since, so the label keeps counting.
  const ageMs = data.ageSeconds * 1000 + Math.max(0, now - dataUpdatedAt);
  const stale = data.stale || ageMs > STALE_AFTER_MS;
  const codes = SHOWN.filter((c) => c in data.data.rates);
  const rows = codes.length > 0 ? codes : Object.keys(data.data.rates).slice(0, 6);
  return (
    <aside className="card rates" aria-labelledby="rates-title">
      <header className="card-header">
        <h2 id="rates-title" className="card-title">
          Exchange rates <span className="muted">· 1 {data.data.base}</span>
        </h2>
        <RefreshIndicator active={fetching} />
      </header>
      <table className="rates-table">
        <caption className="sr-only">Rates for one {data.data.base}</caption>
        <tbody>
          {rows.map((code) => (
            <tr key={code}>
              <th scope="row">{code}</th>
              <td>{formatRate(data.data.rates[code] ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small muted" data-testid="rates-age">
        Updated {formatAgo(ageMs)} · source: {data.source}
        {stale ? <span className="badge badge--warn"> Stale</span> : null}
      </p>
    </aside>
  );
}
