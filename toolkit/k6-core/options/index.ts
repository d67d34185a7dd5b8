/** k6's options: durations, and the run plan built from a script's options and CLI overrides. */
export { parseDuration, formatElapsed } from './duration.ts';
export {
  planRun,
  type ExecutorName,
  type Stage,
  type ScenarioPlan,
  type OptionOverrides,
  type RunPlan,
} from './plan.ts';
