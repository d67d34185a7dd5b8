/** Picks the executor implementation for a scenario. */
import { runArrivalRate } from './arrival-rate.ts';
import type { ScenarioRuntime } from './common.ts';
import { runLoopExecutor } from './iterations.ts';
import { runRampingVus } from './ramping-vus.ts';

export type { ScenarioRuntime } from './common.ts';

export function runExecutor(rt: ScenarioRuntime): Promise<void> {
  switch (rt.plan.executor) {
    case 'ramping-vus':
      return runRampingVus(rt);
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return runArrivalRate(rt);
    default:
      return runLoopExecutor(rt);
  }
}
