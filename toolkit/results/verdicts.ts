/** Types of verdicts.json: what the budgets stage hands to reports. */

/** Outcome of one check: pass, failed at warn level, failed at error level, or not evaluated (optional and not measured). */
export type VerdictStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** What a number measures, which decides how it is parsed and printed. */
export type QuantityKind = 'duration' | 'size' | 'ratio' | 'rate' | 'count' | 'score' | 'number';

/** One judged budget entry (for one subject, e.g. one Lighthouse page). */
export interface Verdict {
  /** Budget file as given on the command line, e.g. `budgets/default.json`. */
  source: string;
  /** JSON pointer of the entry inside the budget file. */
  pointer: string;
  /** What was measured, for people: `p95 of dashboard`. */
  label: string;
  /** Which measurement when one entry covers several (Lighthouse page · preset · mode). */
  subject?: string;
  /** absolute: against the limit; regression: against the baseline plus tolerance. */
  check: 'absolute' | 'regression';
  level: 'warn' | 'error';
  status: VerdictStatus;
  kind: QuantityKind;
  operator: string;
  /** The limit in base units (ms, bytes, 0..1, per second); null when none applies. */
  limit: number | null;
  actual: number | null;
  baseline: number | null;
  /** True when the results had no value for this entry. */
  notMeasured: boolean;
  /** The judged value's confidence interval, when one exists (Lighthouse runs, API requests). */
  interval?: { lo: number; hi: number; n: number; unit: 'requests' | 'runs' };
  /** True when the interval straddles the limit: status is then the budget's inconclusive level (warn by default). */
  inconclusive?: boolean;
  /** The rank test of a regression check against the baseline's observations. */
  significance?: {
    test: 'mann-whitney-u';
    /** One-sided p-value of "this run is worse than the baseline". */
    p: number;
    alpha: number;
    /** Effect size: P(an observation of this run is worse than one of the baseline); 0.5 = no shift. */
    probabilityWorse: number;
    nCurrent: number;
    nBaseline: number;
    significant: boolean;
  };
  /** The verdict line, e.g. `budgets/default.json#/api/endpoints/dashboard/p95: expected <= 300 ms, found 412 ms (+112 ms, baseline 298 ms)`. */
  message: string;
}

/** verdicts.json: every verdict plus the overall outcome. */
export interface Verdicts {
  schemaVersion: 1;
  /** Budget files judged. */
  budgets: string[];
  /** Baseline results file, when one was compared against. */
  baseline: string | null;
  /** interrupted when a signal stopped the run (its figures are partial); else fail if any verdict failed at error level, warn if any warned, else pass. */
  outcome: 'pass' | 'warn' | 'fail' | 'interrupted';
  /** Set for an interrupted run: the signal and what it cut short (results.json's meta.interruption). */
  interrupted?: { signal: string; scenario: string | null; stage: string };
  counts: Record<VerdictStatus, number>;
  verdicts: Verdict[];
}
