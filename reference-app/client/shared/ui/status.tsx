import type { ReactNode } from 'react';

/** A quiet "refreshing" dot for background updates: shown data stays, no spinner covers it. */
export function RefreshIndicator({ active }: { active: boolean }) {
  return (
    <span
      className={active ? 'refresh-dot refresh-dot--active' : 'refresh-dot'}
      role="status"
      aria-label={active ? 'Updating' : 'Up to date'}
    />
  );
}

export function ErrorPanel({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="panel panel--error" role="alert">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

/** Placeholder blocks with the final layout's size, so nothing jumps when data arrives (CLS). */
export function SkeletonCards({ count }: { count: number }) {
  return (
    <div className="card-grid" aria-busy="true" aria-label="Loading metrics">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="card card--skeleton" />
      ))}
    </div>
  );
}
