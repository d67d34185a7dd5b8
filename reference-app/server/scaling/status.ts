import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { ScaleDecision } from './policy.ts';

/** The supervisor's state as every instance shows it (GET /api/performance `autoscaling`). */
export interface AutoscalingView {
  min: number;
  max: number;
  current: number;
  /** the most recent decisions, oldest first */
  decisions: ScaleDecision[];
  /** decisions since the supervisor started, by action */
  totals: { up: number; down: number };
}

/**
 * What an instance knows of the supervisor: the primary pushes its state over
 * the cluster IPC channel, the instance serves it on /metrics and /api/performance.
 * Undefined when the app runs without the supervisor.
 */
export class ScalingStatus {
  view: AutoscalingView | undefined;

  constructor(registry: Registry) {
    const current = (): AutoscalingView | undefined => this.view;
    new Gauge({
      name: 'app_instances',
      help: 'App instances the auto-scaling supervisor keeps (0 without the supervisor)',
      registers: [registry],
      collect() {
        this.set(current()?.current ?? 0);
      },
    });
    new Counter({
      name: 'app_scale_decisions_total',
      help: 'Auto-scaling decisions since the supervisor started',
      labelNames: ['action'],
      registers: [registry],
      collect() {
        // The totals live in the supervisor; each scrape mirrors them.
        this.reset();
        const view = current();
        if (!view) return;
        this.inc({ action: 'up' }, view.totals.up);
        this.inc({ action: 'down' }, view.totals.down);
      },
    });
  }
}
