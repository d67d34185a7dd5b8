import type { Logger } from '../../log.ts';
import type { ExternalService } from './service.ts';

/** Refresh when 75% of the TTL has passed, so readers find a fresh copy rather than waiting on the upstream. */
const REFRESH_AT = 0.75;

/** The background job keeping external data fresh; one instance refreshes per cycle (Redis lock). */
export function startExternalRefresh(service: ExternalService, ttlMs: number, log: Logger): () => void {
  const every = Math.max(200, Math.min(ttlMs / 8, 30_000));
  const tick = (): void => {
    service.refreshIfDue(REFRESH_AT).catch((err: unknown) => {
      log.warn('scheduled external refresh failed; the previous copy is kept', { err: (err as Error).message });
    });
  };
  const timer = setInterval(tick, every);
  timer.unref();
  tick();
  return () => clearInterval(timer);
}
