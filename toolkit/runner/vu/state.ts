/**
 * Per-VU state inside a worker: identity, the running scenario, the current
 * group, and the buffer of samples posted to the main thread in batches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MetricDef, Sample } from '../metrics/types.ts';
import { CELL, type RunSpec, type VuEvent, type VuWorkerData } from '../protocol.ts';

export const data = workerData as VuWorkerData;
export const cells = new Int32Array(data.cells);

/** Thrown to unwind an iteration the main thread interrupted (graceful stop expired). */
export class InterruptedIteration extends Error {
  constructor() {
    super('iteration interrupted');
  }
}

/** Thrown by exec.test.abort(); stops the whole test with k6's exit code 108. */
export class TestAbort extends Error {
  constructor(reason: string) {
    super(reason);
  }
}

export const vu = {
  id: data.vuId,
  iterationInInstance: 0,
  iterationInScenario: 0,
  iterationInTest: 0,
  run: null as RunSpec | null,
  group: '',
  /** Tags set by the script through exec.vu.tags / metrics.tags. */
  userTags: {} as Record<string, string>,
  inInit: true,
};

const buffer: Sample[] = [];
let lastFlush = Date.now();

export function post(ev: VuEvent): void {
  parentPort?.postMessage(ev);
}

let cachedTags: Record<string, string> | null = null;

/** Call after changing vu.run, vu.group or vu.userTags: the cached base tags are rebuilt on next use. */
export function tagsChanged(): void {
  cachedTags = null;
}

/** The tags every sample of this VU carries right now (test, scenario, group, user); shared, never mutate it. */
export function baseTags(): Record<string, string> {
  if (cachedTags) return cachedTags;
  const tags: Record<string, string> = { ...data.testTags };
  if (vu.run) {
    Object.assign(tags, vu.run.tags);
    tags.scenario = vu.run.scenario;
  }
  tags.group = vu.group;
  cachedTags = Object.assign(tags, vu.userTags);
  return cachedTags;
}

export function emit(metric: string, value: number, tags: Record<string, string>, time = Date.now()): void {
  buffer.push({ metric, value, time, tags });
}

/** Posts buffered samples when enough time or samples piled up, or always with force. */
export function flush(force = false): void {
  const now = Date.now();
  if (buffer.length === 0) return;
  if (!force && buffer.length < 2000 && now - lastFlush < 100) return;
  post({ t: 'samples', samples: buffer.splice(0, buffer.length) });
  lastFlush = now;
}

const defined = new Set<string>();
export function defineMetric(def: MetricDef): void {
  if (defined.has(def.name)) return;
  defined.add(def.name);
  post({ t: 'metric', def });
}

export function isInterrupted(): boolean {
  return Atomics.load(cells, CELL.interrupt) !== 0;
}
