import type { Verdict, Verdicts } from '../results/verdicts.ts';
import { escapeXml } from './escape.ts';

/**
 * A verdict's testcase name: its JSON pointer, the subject when one entry
 * judges several measurements (Lighthouse page · preset · mode), and
 * `[regression]` for the check against the baseline. The console line of the
 * verdict starts with the same pointer and subject.
 */
export function verdictCaseName(v: Verdict): string {
  return `${v.pointer}${v.subject ? ` (${v.subject})` : ''}${v.check === 'regression' ? ' [regression]' : ''}`;
}

/**
 * JUnit XML: one testsuite per budget file, one testcase per verdict, so that
 * its tests, failures and skipped equal the console's passed + warned + failed
 * + skipped, failed and skipped counts. A failed verdict (error level) is a
 * failure holding its line; a warning passes with its line in system-out.
 */
export function renderJunit(v: Verdicts, runId: string): string {
  const suites = v.budgets.map((source) => {
    const list = v.verdicts.filter((x) => x.source === source);
    const failures = list.filter((x) => x.status === 'fail').length;
    const skipped = list.filter((x) => x.status === 'skip').length;
    const cases = list.map((x) => {
      const open = `    <testcase classname="${escapeXml(source)}" name="${escapeXml(verdictCaseName(x))}" time="0"`;
      const text = escapeXml(x.message);
      if (x.status === 'fail')
        return `${open}>\n      <failure message="${text}" type="budget">${text}</failure>\n    </testcase>`;
      if (x.status === 'skip') return `${open}>\n      <skipped message="${text}"/>\n    </testcase>`;
      if (x.status === 'warn') return `${open}>\n      <system-out>WARN ${text}</system-out>\n    </testcase>`;
      return `${open}/>`;
    });
    return `  <testsuite name="${escapeXml(source)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const c = v.counts;
  const total = c.pass + c.warn + c.fail + c.skip;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXml(`perfkit budgets ${runId}`)}" tests="${total}" failures="${c.fail}" errors="0" skipped="${c.skip}">\n${suites.join('\n')}\n</testsuites>\n`;
}
