import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useIngestMetrics } from '../api/ingest-metrics.ts';

/** Records one value for a metric now; the mutation invalidates every metrics query. */
export function RecordValueForm({ metric, label }: { metric: string; label: string }) {
  const id = useId();
  const [value, setValue] = useState('');
  const ingest = useIngestMetrics();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number)) return;
    ingest.mutate([{ metric, ts: new Date().toISOString(), value: number }], { onSuccess: () => setValue('') });
  };

  return (
    <form className="inline-form" onSubmit={onSubmit}>
      <label htmlFor={`${id}-value`}>Record a {label.toLowerCase()} value</label>
      <input id={`${id}-value`} inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} required />
      <button className="button" type="submit" disabled={ingest.isPending}>
        {ingest.isPending ? 'Saving…' : 'Record'}
      </button>
      <span role="status" className="small muted">
        {ingest.isSuccess ? 'Saved.' : ingest.isError ? 'Could not save the value.' : ''}
      </span>
    </form>
  );
}
