/**
 * Per-VU state inside a worker: identity, the running scenario, the current
 * group, and the buffer of samples posted to the main thread in batches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MetricDef, Sample } from '../../k6-core/metrics/types.ts';
import { CELL, HTTP_ROW, IO_CELLS_OFFSET, type RunSpec, type VuEvent, type VuWorkerData } from '../protocol.ts';

export const data = workerData as VuWorkerData;
export const cells = new Int32Array(data.cells);
/** Bytes sent [0] and received [1] since the last data_sent / data_received samples (see IO_CELLS_OFFSET). */
export const ioCells = new Float64Array(data.cells, IO_CELLS_OFFSET, 2);

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
/** Bumped whenever the base tags change, so interned tag sets built on older ones are not reused. */
export let tagsVersion = 0;

/** Call after changing vu.run, vu.group or vu.userTags: the cached base tags are rebuilt on next use. */
export function tagsChanged(): void {
  cachedTags = null;
  tagsVersion++;
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

/**
 * HTTP requests travel compactly: one row of numbers per request plus an id of
 * its tag set, each distinct tag set sent once. Cloning eleven sample objects per
 * request was a large share of the per-request cost on both threads.
 */
const tagIds = new Map<string, number>();
let newTagSets: Array<[number, Record<string, string>]> = [];
// Starts small and doubles as needed: on the shared VU model every VU has one, and 256 rows (20 KB) each
// was a tenth of a VU's memory; a busy VU grows it once, in its first flushes.
let rows = new Float64Array(HTTP_ROW * 8);
let rowCount = 0;
let resetTags = false;

/** Interns a tag set by key; `make` builds it the first time. */
export function httpTagId(key: string, make: () => Record<string, string>): number {
  let id = tagIds.get(key);
  if (id === undefined) {
    if (tagIds.size >= 20_000) {
      // Unique URLs would grow this forever: start over (the main thread drops its copy too).
      flush(true);
      tagIds.clear();
      resetTags = true;
    }
    id = tagIds.size;
    tagIds.set(key, id);
    newTagSets.push([id, make()]);
  }
  return id;
}

/** Appends one request's row: [tagId, time, duration, blocked, connecting, tls, sending, waiting, receiving, failed]. */
export function emitHttpRow(values: readonly number[]): void {
  if ((rowCount + 1) * HTTP_ROW > rows.length) {
    const grown = new Float64Array(rows.length * 2);
    grown.set(rows);
    rows = grown;
  }
  rows.set(values, rowCount * HTTP_ROW);
  rowCount++;
  // Sent on from here too (at most every 100 ms): an iteration that never returns (a busy loop after
  // its requests) is ended with its worker, and what it buffered would be lost with it.
  flush();
}

/** The next sample is sent at once: a scenario's first request, before any iteration could get stuck. */
export function flushNextSample(): void {
  lastFlush = 0;
}

/** Posts buffered samples when enough time or samples piled up, or always with force. */
export function flush(force = false): void {
  const now = Date.now();
  const pending = buffer.length + rowCount * 9;
  if (pending === 0 && !resetTags) return;
  if (!force && pending < 4000 && now - lastFlush < 100) return;
  const http =
    rowCount === 0 && newTagSets.length === 0 && !resetTags
      ? undefined
      : { tagSets: newTagSets, rows: rows.slice(0, rowCount * HTTP_ROW), reset: resetTags };
  post({ t: 'samples', samples: buffer.splice(0, buffer.length), http });
  newTagSets = [];
  rowCount = 0;
  resetTags = false;
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
