/**
 * The conformance matrix's machinery: every case of test/fixtures/k6/conformance/expected*.json run once
 * on an engine that speaks k6's CLI (a real k6 binary, or the built-in runner through `scripts/k6.ts`) the
 * way the recorder ran real k6 (test/fixtures/k6/tools/run-k6.mjs), turned into the same facts the
 * recordings hold (tools/observe.mjs, tools/facts.mjs), and compared with what real k6 of that line
 * recorded: exact where every k6 run agreed, within the tolerances of conformance-rules.ts elsewhere.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { COMPILED_K6_ENTRY } from './compiled-k6.ts';
import { CONFORMANCE_DIR } from './conformance.ts';
import { overloaded, ruleFor, type CaseRule, type Range } from './conformance-rules.ts';

export type Entry = Record<string, unknown> & {
  run?: {
    args?: string[];
    env?: Record<string, string>;
    timeoutS?: number;
    signal?: { name: string; afterMs?: number };
  };
  by_version?: Record<string, Record<string, unknown>>;
};

/** An engine column: how to start it and which k6 line's recordings it must match. */
export interface Engine {
  label: string;
  command: string[];
  /** by_version key: "1.3", "2.2" */
  line: string;
  builtin: boolean;
}

/**
 * A real k6 column. k6 1.x opens its REST API on localhost:6565 by default, so concurrent runs would log
 * "Error from API server … address already in use": each gets a free port instead (2.x has no API
 * unless asked).
 */
export function realK6Engine(bin: string, version: string, line: string): Engine {
  const api = version.startsWith('1.') ? ['--address', '127.0.0.1:0'] : [];
  return { label: `k6 v${version} (${bin})`, command: [bin, ...api], line, builtin: false };
}

const TOOLS = join(CONFORMANCE_DIR, '..', 'tools');
/** The line the built-in runner follows where k6 versions differ (the current one). */
export const BUILTIN_LINE = '2.2';

/**
 * scripts/k6.ts over the compiled toolkit (test/support/compiled-k6.ts; call ensureCompiledK6() before
 * running a case): the same code as under tsx, started about a second sooner on a loaded machine.
 */
export function builtinEngine(): Engine {
  return {
    label: 'builtin',
    command: [process.execPath, COMPILED_K6_ENTRY],
    line: BUILTIN_LINE,
    builtin: true,
  };
}

/** Both expected files: case name → entry, in file order (c01…c38). */
export function loadCases(): [string, Entry][] {
  const out: [string, Entry][] = [];
  for (const f of ['expected.json', 'expected-differences.json'])
    out.push(...Object.entries(JSON.parse(readFileSync(join(CONFORMANCE_DIR, f), 'utf8')) as Record<string, Entry>));
  return out;
}

/** Cases the built-in runner does not pass yet: case → why. */
export function builtinPending(): Record<string, string> {
  return JSON.parse(readFileSync(join(CONFORMANCE_DIR, 'builtin-pending.json'), 'utf8')) as Record<string, string>;
}

/** The recorded lines of an entry ("1.3", "2.2"). */
export const recordedLines = (e: Entry): string[] => Object.keys(e.by_version ?? {});

/** What k6 of `line` gave: the entry's top level overridden by by_version[line]. */
export function expectationFor(entry: Entry, line: string): Record<string, unknown> {
  const { by_version: byVersion, ...top } = entry;
  return { ...top, ...(byVersion?.[line] ?? {}) };
}

interface Tools {
  runK6(bin: string[], spec: object, target: Target): Promise<RawRun>;
  startTarget(): Promise<Target>;
  observe(run: RawRun): object;
  caseFacts(run: object, entry: Entry): Record<string, unknown>;
}
export interface Target {
  port: number;
  baseUrl: string;
  stop(): void;
}
interface RawRun {
  exit_code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
}

let tools: Promise<Tools> | undefined;
function loadTools(): Promise<Tools> {
  const load = async (f: string): Promise<object> => (await import(pathToFileURL(join(TOOLS, f)).href)) as object;
  tools ??= Promise.all([load('run-k6.mjs'), load('observe.mjs'), load('facts.mjs')]).then(
    ([a, b, c]) => ({ ...a, ...b, ...c }) as Tools,
  );
  return tools;
}

export async function startTarget(): Promise<Target> {
  return (await loadTools()).startTarget();
}

/** Runs one case on an engine and returns its facts (the keys of an expected entry) and its raw output. */
export async function runCase(
  engine: Engine,
  name: string,
  entry: Entry,
  target: Target,
): Promise<{ facts: Record<string, unknown>; stdout: string; stderr: string }> {
  const t = await loadTools();
  const rule = ruleFor(name, engine);
  const given = entry.run?.signal;
  const signal =
    given && rule.signalAfterStdout
      ? { ...given, afterStdout: rule.signalAfterStdout, afterMs: rule.signalAfterMs ?? given.afterMs }
      : given;
  const spec = {
    ...(entry.run ?? {}),
    script: `${name.split('@')[0]}.js`,
    timeoutS: rule.timeoutS ?? entry.run?.timeoutS,
    signal,
  };
  const raw = await t.runK6(engine.command, spec, target);
  const facts = { ...t.caseFacts(t.observe(raw), entry), stdout_text: raw.stdout };
  return { facts, stdout: raw.stdout, stderr: raw.stderr };
}

/** Keys that say how to run or describe a case, or per-run timings judged through the rules only. */
const NOT_COMPARED = new Set(['note', 'run', 'record', 'ideal', 'wall_seconds_observed', 'exit_after_signal_seconds']);

const isObserved = (v: unknown): v is { observed: unknown[] } =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && 'observed' in v && Object.keys(v).length === 1;

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** A default range for a value k6 gave differently run to run: its observed span, widened by 10 %. */
function observedRange(values: unknown[]): Range {
  const nums = values.filter((v): v is number => typeof v === 'number');
  return [Math.floor(Math.min(...nums) * 0.9), Math.ceil(Math.max(...nums) * 1.1)];
}

/** In [lo, hi]; on an overloaded machine (see conformance-rules.ts) in [lo / 2, hi × 1.5]. */
function inRange(v: unknown, [lo, hi]: Range): boolean {
  const [l, h] = overloaded() ? [lo * 0.5, hi * 1.5] : [lo, hi];
  return typeof v === 'number' && v >= l - 1e-9 && v <= h + 1e-9;
}

/**
 * Log lines as a multiset, on both sides with what only goja can print taken out of script stack
 * traces: the frames of k6's Go functions (`\n\tat go.k6.io/k6/….(*K6).Check-fm (native)`) and goja's
 * bytecode offset after a frame's line:column (`c12-check-throws.js:16:47(5)` → `…:16:47`). Everything
 * else of a line (message, script frames with their file URL, line and column, fields) is compared
 * exactly. For the built-in runner only k6-style log lines (`level=…`) count: its progress lines and
 * plain hint lines on stderr are not k6 log records.
 */
export function logKey(log: unknown, builtin: boolean): string {
  const entries = Object.entries((log ?? {}) as Record<string, number>);
  const counts = new Map<string, number>();
  for (const [line, n] of entries) {
    if (builtin && !line.startsWith('level=')) continue;
    const l = line.replace(/\\n\\tat (?:(?!\\n).)*? \(native\)/g, '').replace(/(:\d+:\d+)\(\d+\)/g, '$1');
    counts.set(l, (counts.get(l) ?? 0) + n);
  }
  return canonical([...counts].map(([l, n]) => `${n}× ${l}`).sort());
}

function compareKey(key: string, want: unknown, got: unknown, rule: CaseRule, engine: Engine): string | null {
  const range = rule.ranges?.[key];
  if (range) return inRange(got, range) ? null : `${key}: ${JSON.stringify(got)} not in [${range.join(', ')}]`;
  if (key === 'log') return logKey(want, engine.builtin) === logKey(got, engine.builtin) ? null : diff(key, want, got);
  const tick = tickSampled(key, want, got);
  if (tick !== undefined) return tick;
  if (isObserved(want)) {
    if (typeof want.observed[0] === 'number') {
      const r = observedRange(want.observed);
      return inRange(got, r) ? null : `${key}: ${JSON.stringify(got)} not in [${r.join(', ')}] (observed)`;
    }
    return want.observed.some((w) => canonical(w) === canonical(got)) ? null : diff(key, want, got);
  }
  if (typeof want === 'number' && typeof got === 'number' && key.endsWith('.rate'))
    return Math.abs(want - got) < 1e-6 ? null : diff(key, want, got);
  return canonical(want) === canonical(got) ? null : diff(key, want, got);
}

const TICK_METRICS = ['vus', 'vus_max'];

/**
 * vus and vus_max are sampled on k6's 1 s ticks: in a run of a few seconds the sampled max can be one VU
 * off, and a tick racing the end can be missed (the metric then absent from the export). Only that way
 * round: a metric k6 left out must stay out, unless the machine is overloaded (then a run k6 ended within
 * its first second can last past it, and get its first tick). undefined when `key` is not one of these.
 */
function tickSampled(key: string, want: unknown, got: unknown): string | null | undefined {
  if ((key === 'vus.max' || key === 'vus_max.max') && typeof want === 'number')
    return got === undefined || (typeof got === 'number' && Math.abs(got - want) <= 1) ? null : diff(key, want, got);
  if (key !== 'absent_from_export' || !Array.isArray(want)) return undefined;
  const g = Array.isArray(got) ? (got as string[]) : [];
  const tickMayCome = (m: unknown): boolean => overloaded() && TICK_METRICS.includes(m as string);
  const ok =
    want.every((m) => g.includes(m as string) || tickMayCome(m)) &&
    g.every((m) => want.includes(m) || TICK_METRICS.includes(m));
  return ok ? null : diff(key, want, got);
}

const diff = (key: string, want: unknown, got: unknown): string =>
  `${key}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;

/** Every way the facts differ from the expectation, one line each (empty when they agree). */
export function compareFacts(
  name: string,
  engine: Engine,
  want: Record<string, unknown>,
  facts: Record<string, unknown>,
): string[] {
  const rule = ruleFor(name, engine);
  const problems: string[] = [];
  const expected = { ...want, ...(rule.expect ?? {}) };
  for (const [key, value] of Object.entries(expected)) {
    if (NOT_COMPARED.has(key) || rule.skip?.includes(key) || rule.check?.[key]) continue;
    if (key === 'killed_after_seconds') {
      if (!('killed_after_seconds' in facts)) problems.push('expected the run to be still going when killed');
      continue;
    }
    if (key === 'stdout') {
      // expected.json's handleSummary output: what the script wrote, among the engine's own lines.
      if (!String(facts.stdout_text ?? '').includes(String(value))) problems.push(diff(key, value, facts.stdout_text));
      continue;
    }
    const p = compareKey(key, value, facts[key], rule, engine);
    if (p) problems.push(p);
  }
  for (const [key, check] of Object.entries(rule.check ?? {})) {
    const p = check(facts[key], expected[key], facts);
    if (p) problems.push(`${key}: ${p}`);
  }
  const recordedExits = expected.exit_after_signal_seconds;
  if (Array.isArray(recordedExits)) {
    // Overloaded (see conformance-rules.ts): 1.5 s more, for an exit that needs CPU time to write the summary.
    const slack = overloaded() ? 1.5 : 0;
    const limit = (rule.exitAfterSignalS ?? Math.max(...(recordedExits as number[])) + 1.5) + slack;
    const got = facts.exit_after_signal_seconds;
    if (!(typeof got === 'number' && got <= limit))
      problems.push(`exit_after_signal_seconds: ${JSON.stringify(got)}, expected at most ${limit} s`);
  }
  return problems;
}
