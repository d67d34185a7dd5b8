import type { ExternalEntry, ExternalStore } from '../../cache/external-store.ts';
import type { CacheCounters } from '../../cache/counters.ts';
import type { ServedBy } from '../../db/trace.ts';
import { traced } from '../../db/trace.ts';
import { unavailable } from '../../http/errors.ts';
import type { Logger } from '../../log.ts';
import type { UpstreamClient } from '../../upstream/client.ts';
import type { ExternalRepository } from './repository.ts';

export const RATES_SOURCE = 'rates';

export interface RatesAnswer {
  body: { source: string; fetchedAt: string; ageSeconds: number; stale: boolean; data: unknown };
  status: 'HIT' | 'MISS' | 'STALE';
  servedBy: ServedBy;
}

/**
 * External rates: answered from the shared copy while it is younger than the
 * externalAPIs TTL, refreshed by the scheduled job before that, fetched on
 * demand otherwise, and served stale (with its age) when the upstream is down.
 */
export class ExternalService {
  private refreshing: Promise<ExternalEntry> | undefined;

  constructor(
    private readonly store: ExternalStore,
    private readonly repo: ExternalRepository,
    private readonly client: UpstreamClient,
    private readonly ttlMs: number,
    private readonly counters: CacheCounters,
    private readonly log: Logger,
  ) {}

  async rates(): Promise<RatesAnswer> {
    const entry = await this.store.read(RATES_SOURCE);
    if (entry && Date.now() - entry.fetchedAt < this.ttlMs) return this.answer(entry, 'HIT', 'cache');
    try {
      return this.answer(await this.refresh(), 'MISS', 'none');
    } catch (err) {
      this.log.warn('upstream unavailable, serving stale data', { source: RATES_SOURCE, err: (err as Error).message });
      if (entry) return this.answer(entry, 'STALE', 'cache');
      const { value: snap, servedBy } = await traced(() => this.repo.latest(RATES_SOURCE));
      if (snap) return this.answer({ fetchedAt: snap.fetchedAt.getTime(), data: snap.payload }, 'STALE', servedBy);
      throw unavailable('UPSTREAM_UNAVAILABLE', 'the external API is unavailable and nothing is cached yet', 30, err);
    }
  }

  /** Fetches now (one fetch per instance at a time) and shares the result. */
  refresh(): Promise<ExternalEntry> {
    this.refreshing ??= this.fetchAndStore().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Called by the scheduler: refresh when the copy is missing or past `refreshAt` of its TTL. */
  async refreshIfDue(refreshAt: number): Promise<void> {
    const entry = await this.store.read(RATES_SOURCE);
    if (entry && Date.now() - entry.fetchedAt < this.ttlMs * refreshAt) return;
    await this.store.withRefreshLock(RATES_SOURCE, async () => {
      await this.refresh();
    });
  }

  private async fetchAndStore(): Promise<ExternalEntry> {
    const data = await this.client.rates('USD');
    const entry: ExternalEntry = { fetchedAt: Date.now(), data };
    await this.store.write(RATES_SOURCE, entry);
    await this.repo.save(RATES_SOURCE, new Date(entry.fetchedAt), data).catch((err: unknown) => {
      this.log.warn('external snapshot not saved', { err: (err as Error).message });
    });
    return entry;
  }

  private answer(entry: ExternalEntry, status: RatesAnswer['status'], servedBy: ServedBy): RatesAnswer {
    this.counters.count('externalAPIs', status);
    const ageSeconds = Math.max(0, Math.round((Date.now() - entry.fetchedAt) / 1000));
    return {
      status,
      servedBy,
      body: {
        source: RATES_SOURCE,
        fetchedAt: new Date(entry.fetchedAt).toISOString(),
        ageSeconds,
        stale: status === 'STALE',
        data: entry.data,
      },
    };
  }
}
