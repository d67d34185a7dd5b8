/** Executors' schedules as pure functions of the plan and of time; the engines drive VUs by them. */
export { arrivalOffset, arrivalSegments, iterationOffset, type Segment } from './arrival-rate.ts';
export { rampingSteps } from './ramping-vus.ts';
export { initialVus, scenarioMaxMs, scenarioNominalMs } from './durations.ts';
