import type pg from 'pg';
import type { Logger } from '../log.ts';
import { parseLsn } from './lsn.ts';

/** What the probe last saw of the replica. */
export interface ReplicaState {
  healthy: boolean;
  reason: string;
  replayLsn: bigint | null;
  lagBytes: number | null;
  checkedAt: number;
}

/**
 * Probes the replica (and the primary's WAL position) on an interval. A dead
 * or lagging replica is marked unhealthy so reads bypass it; it is used again
 * as soon as a probe finds it caught up.
 */
export class ReplicaHealth {
  state: ReplicaState = { healthy: false, reason: 'not probed yet', replayLsn: null, lagBytes: null, checkedAt: 0 };
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly primary: pg.Pool,
    private readonly replica: pg.Pool,
    private readonly opts: { maxLagBytes: number; probeMs: number },
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.probe(), this.opts.probeMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Marks the replica down at once (a read just failed on it); the next probe may restore it. */
  markDown(reason: string): void {
    if (this.state.healthy) this.log.warn('replica bypassed', { reason });
    this.state = { ...this.state, healthy: false, reason };
  }

  /** Re-reads the replica's replay position now (used when a read-your-writes check needs a fresher one). */
  async refreshReplayLsn(): Promise<bigint | null> {
    const r = await this.replica.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn');
    const lsn = parseLsn(r.rows[0]?.lsn);
    if (lsn !== null && (this.state.replayLsn === null || lsn > this.state.replayLsn)) this.state.replayLsn = lsn;
    return lsn;
  }

  async probe(): Promise<ReplicaState> {
    if (this.running) return this.state;
    this.running = true;
    try {
      const [rep, pri] = await Promise.allSettled([
        this.replica.query<{ lsn: string | null; rec: boolean }>(
          'SELECT pg_last_wal_replay_lsn()::text AS lsn, pg_is_in_recovery() AS rec',
        ),
        this.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'),
      ]);
      this.apply(rep, pri);
    } finally {
      this.running = false;
    }
    return this.state;
  }

  private apply(
    rep: PromiseSettledResult<pg.QueryResult<{ lsn: string | null; rec: boolean }>>,
    pri: PromiseSettledResult<pg.QueryResult<{ lsn: string }>>,
  ): void {
    const was = this.state.healthy;
    const now = Date.now();
    if (rep.status === 'rejected') {
      this.state = {
        healthy: false,
        reason: `replica unreachable: ${(rep.reason as Error).message}`,
        replayLsn: this.state.replayLsn,
        lagBytes: null,
        checkedAt: now,
      };
    } else {
      const replayLsn = parseLsn(rep.value.rows[0]?.lsn);
      const primaryLsn = pri.status === 'fulfilled' ? parseLsn(pri.value.rows[0]?.lsn) : null;
      const lagBytes = replayLsn !== null && primaryLsn !== null ? Math.max(0, Number(primaryLsn - replayLsn)) : null;
      const lagging = lagBytes !== null && lagBytes > this.opts.maxLagBytes;
      const notReplica = rep.value.rows[0]?.rec === false;
      const healthy = !lagging && !notReplica;
      const reason = notReplica ? 'replica is not in recovery' : lagging ? `replica lags ${lagBytes} bytes` : 'ok';
      this.state = { healthy, reason, replayLsn, lagBytes, checkedAt: now };
    }
    if (was !== this.state.healthy) {
      const log = this.state.healthy ? this.log.info : this.log.warn;
      log(this.state.healthy ? 'replica in use' : 'replica bypassed', { reason: this.state.reason });
    }
  }
}
