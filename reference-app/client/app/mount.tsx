import { startTransition, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import type { QueryClient } from '@tanstack/react-query';
import { App } from './app.tsx';

/**
 * Starts React in `container`. The first render runs in a transition, so
 * React builds the first screen in slices that yield to the browser instead
 * of one long task (Total Blocking Time on slow phones).
 */
export function mount(container: HTMLElement, queryClient: QueryClient): void {
  const root = createRoot(container);
  startTransition(() =>
    root.render(
      <StrictMode>
        <Suspense fallback={null}>
          <App queryClient={queryClient} />
        </Suspense>
      </StrictMode>,
    ),
  );
}
