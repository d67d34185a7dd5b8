/**
 * The execution description k6 prints on stdout before the test starts (skipped under -q), in a
 * shorter form: execution, script and output lines, then one line per scenario with its executor.
 * It ends with an empty line, as k6's does, so the progress block that follows lines up the same way.
 */
import type { RunPlan } from '../k6-core/index.ts';

export function executionDescription(script: string, outputs: string[], plan: RunPlan): string {
  const n = plan.scenarios.length;
  const lines = [
    '',
    '     execution: local (perfkit built-in runner)',
    `        script: ${script}`,
    `        output: ${outputs.length > 0 ? outputs.join(', ') : '-'}`,
    '',
    `     scenarios: ${n} scenario${n === 1 ? '' : 's'}:`,
    ...plan.scenarios.map((s) => `              * ${s.name}: ${s.executor}`),
    '',
    '',
  ];
  return lines.join('\n');
}
