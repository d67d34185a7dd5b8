import { describe, expect, it } from 'vitest';
import { traceFailure } from './collect.ts';
import { summarizeRun, type LhrLike } from './extract.ts';

const id = { page: 'p', preset: 'mobile', mode: 'warm', run: 2, jsonPath: null, htmlPath: null } as const;
const failed = (code: string, message: string): LhrLike => ({
  lighthouseVersion: '12.8.2',
  requestedUrl: 'http://127.0.0.1/dashboard',
  fetchTime: 't',
  categories: { performance: { score: null } },
  audits: {},
  runtimeError: { code, message },
});

describe('a run that failed in the trace recording, not in the page', () => {
  it('is named by its code (repeated once), other failures and good runs are not', () => {
    const navstart =
      'Something went wrong with recording the trace over your page load. Please run Lighthouse again. (NO_NAVSTART)';
    expect(traceFailure(summarizeRun(failed('NO_NAVSTART', navstart), id))).toBe('NO_NAVSTART');
    expect(traceFailure(summarizeRun(failed('NO_TRACING_STARTED', 'Chrome tracing did not start'), id))).toBe(
      'NO_TRACING_STARTED',
    );
    // The page's own faults stay failures: no first paint, an unreachable page.
    expect(traceFailure(summarizeRun(failed('NO_FCP', 'The page did not paint any content.'), id))).toBeUndefined();
    expect(
      traceFailure(summarizeRun(failed('FAILED_DOCUMENT_REQUEST', 'Lighthouse was unable to load'), id)),
    ).toBeUndefined();
    expect(traceFailure({ runtimeError: null })).toBeUndefined();
  });
});
