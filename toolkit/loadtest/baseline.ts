/**
 * Which earlier run a run is compared against: `--baseline latest` takes the
 * newest comparable, complete run (and says which); an explicit file that is
 * not comparable is refused unless --baseline-any.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ToolkitError } from '../errors.ts';
import {
  identityDifferences,
  isComparableBaseline,
  readResults,
  type Results,
  type RunIdentity,
} from '../results/index.ts';
import { shownPath } from './run-meta.ts';

/** The baseline chosen for a run, and what to tell people about the choice. */
export interface BaselineChoice {
  baseline: Results | undefined;
  baselineFile: string | undefined;
  note: string;
}

/** Every results.json under the reports folder, newest start first (unreadable ones left out). */
function earlierRuns(outDir: string, except: string, root: string): { file: string; results: Results }[] {
  if (!existsSync(outDir)) return [];
  const runs: { file: string; results: Results }[] = [];
  for (const d of readdirSync(outDir)) {
    const file = path.join(outDir, d, 'results.json');
    if (d === except || d.startsWith('.') || !existsSync(file)) continue;
    try {
      runs.push({ file, results: readResults(file, root) });
    } catch {
      // a results file this version cannot read is no candidate
    }
  }
  return runs.sort((a, b) => b.results.meta.startedAt.localeCompare(a.results.meta.startedAt));
}

/** The newest comparable, complete run under outDir, or undefined; `skipped` counts the newer runs passed over. */
export function latestComparable(
  outDir: string,
  except: string,
  identity: RunIdentity,
  root: string,
): { file: string; results: Results; skipped: number } | { skipped: number } {
  const runs = earlierRuns(outDir, except, root);
  const i = runs.findIndex((r) => isComparableBaseline(identity, r.results.meta));
  const found = runs[i];
  return found ? { ...found, skipped: i } : { skipped: runs.length };
}

/** A baseline file as given: read up front so that a bad file costs no measurement. */
export function readBaselineFile(config: { root: string; baselinePath: string | undefined }): Results | undefined {
  const p = config.baselinePath;
  return p && p !== 'latest' ? readResults(path.resolve(config.root, p), config.root) : undefined;
}

/** Chooses the run's baseline once its identity is known; throws BASELINE_NOT_COMPARABLE for a refused file. */
export function chooseBaseline(
  config: { root: string; outDir: string; baselinePath: string | undefined; baselineAny: boolean },
  identity: RunIdentity,
  runId: string,
  given: Results | undefined,
): BaselineChoice {
  const shown = (f: string): string => shownPath(config.root, f);
  if (!config.baselinePath) return { baseline: undefined, baselineFile: undefined, note: '' };
  if (config.baselinePath === 'latest') {
    const found = latestComparable(config.outDir, runId, identity, config.root);
    if (!('file' in found))
      return {
        baseline: undefined,
        baselineFile: undefined,
        note: `baseline: no comparable complete run in ${shown(config.outDir)} (${found.skipped} other run(s) skipped); no regression checks`,
      };
    const skipped = found.skipped ? `, ${found.skipped} newer run(s) not comparable skipped` : '';
    return {
      baseline: found.results,
      baselineFile: found.file,
      note: `baseline: ${shown(found.file)} (newest comparable complete run${skipped})`,
    };
  }
  const file = path.resolve(config.root, config.baselinePath);
  const baseline = given ?? readResults(file, config.root);
  const differences = identityDifferences(identity, baseline.meta.identity);
  if (baseline.meta.status === 'interrupted') differences.unshift('status: the baseline run was interrupted');
  if (differences.length && !config.baselineAny)
    throw new ToolkitError(
      'BASELINE_NOT_COMPARABLE',
      `--baseline ${config.baselinePath}: not comparable with this run (this run vs the baseline):\n  ${differences.join('\n  ')}`,
      { fix: 'give a baseline measured the same way, use --baseline latest, or add --baseline-any to compare anyway' },
    );
  const any = differences.length ? ` (not comparable, --baseline-any: ${differences.join('; ')})` : '';
  return { baseline, baselineFile: file, note: `baseline: ${shown(file)}${any}` };
}
