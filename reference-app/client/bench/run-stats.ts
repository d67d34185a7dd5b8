/**
 * Statistics over the bench's Lighthouse runs: per figure, the median over
 * runs (not the figures of a "median run") with its min and max, so one noisy
 * run neither decides nor hides.
 */
import { median } from '../../../toolkit/lighthouse/aggregate.ts';
import type { DashboardRun, MainThreadBreakdown } from './lighthouse-run.ts';

/** Median, min and max of one figure over the runs that measured it. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** What one build scored in one mode, over all its runs. */
export interface ModeSummary {
  runs: number;
  performance: Spread | null;
  tbtMs: Spread | null;
  fcpMs: Spread | null;
  lcpMs: Spread | null;
  speedIndexMs: Spread | null;
  ttiMs: Spread | null;
  cls: Spread | null;
  /** Per group, ms (simulated). */
  mainThread: Record<keyof MainThreadBreakdown, Spread | null>;
  /** Per script (content hash removed, so builds compare), median ms of evaluation and of parse/compile. */
  bootup: { script: string; scriptingMs: number; parseCompileMs: number }[];
  /** Median count and median summed duration (ms, simulated) of tasks over 50 ms. */
  longTasks: { count: number; totalMs: number };
  runWarnings: string[];
}

const roundTo = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** Spread of the non-null values, or null when no run has one. */
export function spreadOf(values: (number | null)[], digits = 0): Spread | null {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return null;
  return {
    median: roundTo(median(present), digits),
    min: roundTo(Math.min(...present), digits),
    max: roundTo(Math.max(...present), digits),
  };
}

/** `/framework.e4ef3012d0.js` → `framework.js`: the same chunk of two builds gets one name. */
export function scriptName(url: string): string {
  const file = url.split('?')[0]?.split('/').pop() ?? url;
  return (file || url).replace(/\.[0-9a-f]{8,}\.js$/, '.js');
}

function bootupMedians(runs: DashboardRun[]): ModeSummary['bootup'] {
  const byScript = new Map<string, { scripting: number[]; parse: number[] }>();
  for (const run of runs) {
    for (const item of run.bootup) {
      const name = scriptName(item.url);
      const entry = byScript.get(name) ?? { scripting: [], parse: [] };
      entry.scripting.push(item.scriptingMs);
      entry.parse.push(item.parseCompileMs);
      byScript.set(name, entry);
    }
  }
  // A script missing from a run's list took under Lighthouse's threshold there: count it as 0.
  const pad = (values: number[]): number[] => [...values, ...Array<number>(runs.length - values.length).fill(0)];
  return [...byScript.entries()]
    .map(([script, v]) => ({
      script,
      scriptingMs: Math.round(median(pad(v.scripting))),
      parseCompileMs: Math.round(median(pad(v.parse))),
    }))
    .sort((a, b) => b.scriptingMs + b.parseCompileMs - (a.scriptingMs + a.parseCompileMs));
}

/** Summarises one build's runs in one mode. */
export function summarizeRuns(runs: DashboardRun[]): ModeSummary {
  const groups = Object.keys(runs[0]?.mainThread ?? {}) as (keyof MainThreadBreakdown)[];
  const mainThread = Object.fromEntries(
    groups.map((g) => [g, spreadOf(runs.map((r) => r.mainThread[g]))]),
  ) as ModeSummary['mainThread'];
  return {
    runs: runs.length,
    performance: spreadOf(
      runs.map((r) => r.performance),
      2,
    ),
    tbtMs: spreadOf(runs.map((r) => r.tbtMs)),
    fcpMs: spreadOf(runs.map((r) => r.fcpMs)),
    lcpMs: spreadOf(runs.map((r) => r.lcpMs)),
    speedIndexMs: spreadOf(runs.map((r) => r.speedIndexMs)),
    ttiMs: spreadOf(runs.map((r) => r.ttiMs)),
    cls: spreadOf(
      runs.map((r) => r.cls),
      3,
    ),
    mainThread,
    bootup: bootupMedians(runs),
    longTasks: {
      count: runs.length ? median(runs.map((r) => r.longTasks.length)) : 0,
      totalMs: runs.length ? Math.round(median(runs.map((r) => r.longTasks.reduce((s, t) => s + t.durationMs, 0)))) : 0,
    },
    runWarnings: [...new Set(runs.flatMap((r) => r.runWarnings))],
  };
}
