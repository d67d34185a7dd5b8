import type { Verdict, Verdicts } from '../results/verdicts.ts';
import { escapeXml } from './escape.ts';

/**
 * JUnit XML: one testsuite per budget file, one testcase per budget entry
 * (JSON pointer). An entry fails when any of its verdicts failed at error
 * level; the failure message holds the verdict lines. Warnings go to system-out.
 */
export function renderJunit(v: Verdicts, runId: string): string {
  const suites = v.budgets.map((source) => {
    const entries = new Map<string, Verdict[]>();
    for (const verdict of v.verdicts.filter((x) => x.source === source)) {
      const list = entries.get(verdict.pointer) ?? [];
      list.push(verdict);
      entries.set(verdict.pointer, list);
    }
    let failures = 0;
    let skipped = 0;
    const cases = [...entries].map(([pointer, list]) => {
      const name = escapeXml(`${pointer} (${list[0]?.label ?? ''})`);
      const failed = list.filter((x) => x.status === 'fail');
      const warned = list.filter((x) => x.status === 'warn');
      const open = `    <testcase classname="${escapeXml(source)}" name="${name}" time="0"`;
      if (failed.length > 0) {
        failures += 1;
        const text = escapeXml(failed.map((x) => x.message).join('\n'));
        return `${open}>\n      <failure message="${text}" type="budget">${text}</failure>\n    </testcase>`;
      }
      if (list.every((x) => x.status === 'skip')) {
        skipped += 1;
        return `${open}>\n      <skipped message="${escapeXml(list.map((x) => x.message).join('\n'))}"/>\n    </testcase>`;
      }
      if (warned.length > 0)
        return `${open}>\n      <system-out>${escapeXml(warned.map((x) => `WARN ${x.message}`).join('\n'))}</system-out>\n    </testcase>`;
      return `${open}/>`;
    });
    return `  <testsuite name="${escapeXml(source)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXml(`perfkit budgets ${runId}`)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
