import type { KeyboardEvent } from 'react';
import { RANGES } from '../../../shared/storage/preferences-store.ts';
import type { Range } from '../../../shared/storage/preferences-store.ts';

const LABELS: Record<Range, string> = { '24h': '24 hours', '7d': '7 days', '30d': '30 days' };

/** A radio group (WAI-ARIA pattern): arrow keys move between ranges, one tab stop. */
export function RangePicker({ value, onChange }: { value: Range; onChange: (range: Range) => void }) {
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? 1
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? -1
          : 0;
    if (step === 0) return;
    event.preventDefault();
    const index = (RANGES.indexOf(value) + step + RANGES.length) % RANGES.length;
    const next = RANGES[index] ?? value;
    onChange(next);
    event.currentTarget.querySelector<HTMLButtonElement>(`[data-range="${next}"]`)?.focus();
  };
  return (
    <div className="segmented" role="radiogroup" aria-label="Time range" onKeyDown={onKeyDown}>
      {RANGES.map((range) => (
        <button
          key={range}
          type="button"
          role="radio"
          data-range={range}
          aria-checked={range === value}
          tabIndex={range === value ? 0 : -1}
          className={range === value ? 'segment segment--on' : 'segment'}
          onClick={() => onChange(range)}
        >
          {LABELS[range]}
        </button>
      ))}
    </div>
  );
}
