/**
 * Per-case tolerances of the conformance matrix, for the values that depend on time or speed, and the few
 * places where the built-in runner deliberately does not copy k6. Everything not named here is compared
 * exactly; a value k6 itself gave differently run to run (`{ "observed": [...] }`) must fall in its
 * observed span widened by 10 % unless a range below says otherwise.
 */
import type { Engine } from './conformance-matrix.ts';
import {
  atMost,
  num,
  oneOf,
  perRequest,
  perRequestCut,
  pointsPerRequest,
  signalExit,
  startOffsets,
  teardownTwice,
  tickPoints,
  type CaseRule,
  type Check,
} from './conformance-checks.ts';

export { overloaded, type CaseRule, type Check, type Range } from './conformance-checks.ts';

const oneVuOneSecond: CaseRule = {
  ranges: { 'iterations.count': [2, 2], 'http_reqs.count': [2, 2] },
  check: { 'data_sent.count': perRequest(73), 'data_received.count': perRequest(185) },
};

/** 2 VUs × 0.5 s iterations for 3 s: 12, or 11 on a busy machine (bytes exact per request). */
const twoVusThreeSeconds: CaseRule = {
  ranges: { 'iterations.count': [11, 12], 'http_reqs.count': [11, 12] },
  check: { 'data_sent.count': perRequest(73), 'data_received.count': perRequest(185) },
};

// A request the signal cuts short has sent its head: k6 counts it in data_sent, not in http_reqs (one
// v2.2.0 recording: 2628 B for 35 requests; one v1.3.0 run here: 2774 B for 36), at most one per VU.
const c38Iterations: CaseRule = {
  ranges: { 'iterations.count': [16, 44], 'http_reqs.count': [18, 46] },
  check: { 'data_sent.count': perRequestCut(73, 2), 'data_received.count': perRequest(185) },
};

/**
 * A count that is `scheduled` where the line runs the script's own schedule (then anything in `range`),
 * and exactly what was recorded where it does not (another line's override).
 */
const scriptScheduleOr =
  (scheduled: number, [lo, hi]: [number, number]): Check =>
  (got, want) => {
    if (want !== scheduled) return got === want ? null : `${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
    return num(got) >= lo && num(got) <= hi ? null : `${JSON.stringify(got)} not in [${lo}, ${hi}]`;
  };

/** Rules that hold for every engine. */
const COMMON: Record<string, CaseRule> = {
  // Speed-dependent: the request count is however many the engine made before the abort (~2 s of 30 s).
  'c06-abort-on-fail': {
    skip: ['http_reqs.count', 'iterations.count'],
    // Wall time includes the engine's start (seconds for scripts/k6.ts on a loaded machine): well under 30 s.
    check: { wall_seconds_observed: (s) => (num(s) >= 1 && num(s) < 25 ? null : `ran ${s} s, expected 1–25 s`) },
  },
  // Speed-dependent: the readers run as fast as they can for 2 s.
  'c07-scenarios-starttime': { skip: ['http_reqs.count', 'iterations.count'] },
  // Time-dependent (ramping VUs, arrival rate): the span k6 1.3 and 2.2 gave together (expected.json's
  // top-level `observed`), ±10 %.
  // Fewer on a loaded machine (slower iterations): down to −25 % of 91.
  'c08-ramping-vus': { ranges: { 'http_reqs.count': [68, 101], 'iterations.count': [68, 101] } },
  // vus_max: 12 when the engine keeps up; a slower machine needs more of `enough`'s maxVUs (20) + 2.
  'c10-arrival-rate': {
    ranges: {
      'http_reqs.count': [213, 263],
      'iterations.count': [213, 263],
      'dropped_iterations.count': [146, 182],
      'vus_max.max': [12, 22],
    },
  },
  'c13-arrival-rate-schedule': {
    ranges: {
      'iterations{scenario:exact_fit}.count': [4, 5],
      'iterations.count': [16, 17],
      'http_reqs.count': [16, 17],
      'data_received.count': [2960, 3145],
      'data_sent.count': [1168, 1241],
      // vus is sampled on the 1 s ticks, which coincide with iteration starts (1 s, 2 s): 0–3 busy VUs.
      'vus.max': [0, 3],
    },
    check: { start_offsets_ms: startOffsets },
  },
  // vus sampled on 1 s ticks while the arrival-rate VUs come and go: 3 or 4. The counts are exact (a range
  // of one value) but, on an overloaded machine, widened as every range is: the second VU of each
  // scenario is started at the first drop, and a start that takes over 0.9 s leaves it one iteration.
  'c14-insufficient-vus': {
    ranges: {
      'vus.max': [3, 4],
      'iterations.count': [8, 8],
      'iterations{scenario:car}.count': [4, 4],
      'iterations{scenario:ramp}.count': [4, 4],
      'dropped_iterations.count': [29, 29],
      'dropped_iterations{scenario:car}.count': [15, 15],
      'dropped_iterations{scenario:ramp}.count': [14, 14],
    },
  },
  // 2 VUs × 10 iterations of 0.25 s + a request in 2.5 s: the 10th starts at 9 × (250 ms + the request),
  // so a request slower than ~27 ms (a machine busy with other runs) leaves 9 for a VU: 18–20 in all.
  'c16-vus-emission': {
    ranges: { 'iterations.count': [18, 20], 'http_reqs.count': [18, 20] },
    check: {
      'ndjson.vus': tickPoints,
      'ndjson.vus_max': tickPoints,
      'data_sent.count': perRequest(73),
      'data_received.count': perRequest(185),
      'ndjson.points_per_metric': pointsPerRequest,
    },
  },
  // 2 VUs from t = 0 (3 from the end of the 3 s ramp) of 0.5 s iterations: 6 each when every iteration
  // starts on time; 11 when one VU's delays add up to the 100 ms that push its 6th past 3 s (seen with 5
  // cases at once on 2 cores).
  // 1 VU for 1 s of 0.5 s iterations: 2, exact unless overloaded (a range of one value widens then, as
  // every range does: a first iteration that starts 0.5 s late leaves 1).
  // The script alone: ramping 0 → 3 VUs over 3 s, 0.5 s iterations. VU 1 runs from t = 0 (6), VU 2 from 1 s:
  // 3, or 4 when its 4th starts just before 3 s (real k6 v1.3.0 gave 10 in one run on 2 cores): 9–10 in all.
  'c19-cli-overrides-stages': {
    ranges: { 'iterations.count': [9, 10], 'http_reqs.count': [9, 10] },
    check: { 'data_sent.count': perRequest(73), 'data_received.count': perRequest(185) },
  },
  'c19-cli-overrides-stages@duration1s': oneVuOneSecond,
  'c20-cli-overrides-scenarios@duration1s': oneVuOneSecond,
  'c19-cli-overrides-stages@vus2': twoVusThreeSeconds,
  // The same: the script's own constant-vus, 2 VUs for 3 s.
  'c20-cli-overrides-scenarios': twoVusThreeSeconds,
  // K6_VUS=3: k6 2.2 replaces the scenarios with shared-iterations, 3 VUs × 3 iterations (exact). k6 1.3
  // ignores it and runs the script's constant-vus, 2 VUs × 0.5 s iterations for 3 s: each VU starts at 0,
  // 0.5, …, 2.5 s (+ its requests), 12 in all, 11 when one VU's delays push its 6th past 3 s. Real k6 v1.3.0
  // once gave 14: a VU's 7th iteration starts at 3 s + a few ms, just after the scenario's end, and Go's
  // constant-vus checks that end without waiting (its context is cancelled by a timer goroutine of its
  // own), so on a starved machine the VUs' sleep timers and the deadline expire together and each VU may
  // win the race once: 11–14.
  'c20-cli-overrides-scenarios@env-vus3': {
    check: {
      'iterations.count': scriptScheduleOr(12, [11, 14]),
      'http_reqs.count': scriptScheduleOr(12, [11, 14]),
      'data_sent.count': perRequest(73),
      'data_received.count': perRequest(185),
    },
  },
  // 2 VUs for 1 s of 0.5 s iterations: 4, or 6 when each VU starts a third iteration right at 1 s.
  'c19-cli-overrides-stages@vus2-duration1s': {
    ranges: { 'iterations.count': [4, 6], 'http_reqs.count': [4, 6] },
    check: { 'data_sent.count': perRequest(73), 'data_received.count': perRequest(185) },
  },
  // Batch latency: at least the route's 20 ms, at most 1.5 × the highest p(95) k6 gave (when not overloaded).
  // --stage 1s:2 (ramping to 2 VUs in 1 s, 0.5 s iterations): 2, or 3 when the second VU starts one in time.
  'c19-cli-overrides-stages@stage': {
    ranges: { 'iterations.count': [2, 3], 'http_reqs.count': [2, 3] },
    check: { 'data_sent.count': perRequest(73), 'data_received.count': perRequest(185) },
  },
  'c20-cli-overrides-scenarios@stage': {
    ranges: { 'iterations.count': [2, 3], 'http_reqs.count': [2, 3] },
    check: { 'data_sent.count': perRequest(73), 'data_received.count': perRequest(185) },
  },
  // A run of about 1 s: the first 1 s tick of vus/vus_max may or may not come before the end (1 VU).
  'c24-batch-latency': {
    check: {
      'http_req_duration.p(95)': atMost(1.5, 20),
      absent_from_export: oneOf([['checks'], ['checks', 'vus', 'vus_max']]),
      'vus.max': oneOf([1, undefined]),
      'vus_max.max': oneOf([1, undefined]),
    },
  },
  // The iteration waits for its last timer (100 ms).
  'c28-timers': { check: { 'iteration_duration.min': atMost(1.5, 100) } },
  // k6 has no init time limit: still running after 15 s (the recorder waited 70 s) is enough to show it.
  'c35-init-infinite-loop@no-signal': { timeoutS: 15 },
  // 2 VUs of 0.1 s iterations until the signal at 2 s: k6 gave 34–38 requests (2 more than iterations: the
  // two cut short), 40 once in CI. At most 2 × 22 requests; on a loaded machine the engine starts later and
  // makes fewer. data_received is exact per request; data_sent may hold the heads of the two cut short.
  'c38-signal-phases@iterations': c38Iterations,
  'c38-signal-phases@iterations-sigterm': c38Iterations,
  // The iterations before the signal at 2 s: ±10 % of 20 (k6 1.3 gave 19 once).
  'c38-signal-phases@teardown': {
    ranges: { 'iterations.count': [18, 22], 'http_reqs.count': [18, 22] },
    check: { 'data_sent.count': perRequest(73), 'data_received.count': perRequest(185) },
  },
};

/** The line of the execution description that both print before their VUs' init. */
const SCENARIOS_LINE = 'scenarios:';
/** 1 s after the first progress line (`running (01.0s), …`, 1 s into the test). */
const AT_2S_INTO_THE_TEST: CaseRule = { signalAfterStdout: 'running (', signalAfterMs: 1000 };

/**
 * Where the built-in runner must not copy k6 (issue 14, scenario sandbox): init code has a time limit
 * (default 60 s, then exit 107), and every phase, teardown and the first init pass included, stops
 * within 3 s of SIGINT/SIGTERM (k6 waits for teardown; and it dies by the signal itself in its first
 * init pass, before it traps signals, where the built-in runner exits 105).
 */
const BUILTIN_DEVIATIONS: Record<string, CaseRule> = {
  'c35-init-infinite-loop@no-signal': {
    timeoutS: 75,
    expect: { exit_code: 107, exit_signal: undefined, summary_export_written: false },
    skip: ['killed_after_seconds', 'log'],
    check: { wall_seconds_observed: (s) => (num(s) <= 65 ? null : `ran ${s} s, expected the init limit (60 s)`) },
  },
  'c35-init-infinite-loop@sigint': {
    skip: ['exit_signal', 'log'],
    check: { exit_code: signalExit(105) },
    exitAfterSignalS: 3,
  },
  'c35-init-infinite-loop@sigint-twice': {
    skip: ['exit_signal', 'log'],
    check: { exit_code: signalExit(105) },
    exitAfterSignalS: 3,
  },
  'c35-init-infinite-loop@sigterm': {
    skip: ['exit_signal', 'log'],
    check: { exit_code: signalExit(105) },
    exitAfterSignalS: 3,
  },
  // c38 and c35@vu-init-sigint are about the phase a signal hits, not about start-up speed. k6 prints its
  // execution description ~0.1 s after it starts, before its VUs' init; the built-in runner 0.3 s after
  // it starts when idle, but 1–4 s with 5 cases at once on 2 cores (when a signal 2 s or 3 s after the
  // spawn found @teardown's 1 s scenario still running, or the process not yet trapping signals). So for
  // the built-in runner a signal meant for VU init or setup() is timed from the description
  // ("scenarios:"), and one meant for the iterations or teardown() (2 s into the test) comes 1 s after
  // the first progress line, which both print 1 s into the test (VU init, which can take a second more
  // under load, lies between the two).
  'c35-init-infinite-loop@vu-init-sigint': { signalAfterStdout: SCENARIOS_LINE },
  'c38-signal-phases@setup': { signalAfterStdout: SCENARIOS_LINE },
  'c38-signal-phases@iterations': AT_2S_INTO_THE_TEST,
  'c38-signal-phases@iterations-sigterm': AT_2S_INTO_THE_TEST,
  'c38-signal-phases@teardown': { exitAfterSignalS: 3, ...AT_2S_INTO_THE_TEST },
  'c38-signal-phases@teardown-twice': {
    exitAfterSignalS: 3,
    ...AT_2S_INTO_THE_TEST,
    skip: ['summary_export_written', 'log'],
    check: { exit_code: teardownTwice },
  },
};

/** The rule for a case on an engine: the common one, with the built-in runner's deviations on top. */
export function ruleFor(name: string, engine: Pick<Engine, 'builtin'>): CaseRule {
  const common = COMMON[name] ?? {};
  const dev = engine.builtin ? BUILTIN_DEVIATIONS[name] : undefined;
  if (!dev) return common;
  return {
    ...common,
    ...dev,
    ranges: { ...common.ranges, ...dev.ranges },
    check: { ...common.check, ...dev.check },
    skip: [...(common.skip ?? []), ...(dev.skip ?? [])],
  };
}
