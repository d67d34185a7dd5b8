import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { ToolkitError } from '../errors.ts';
import { readResults, readVerdicts } from '../results/io.ts';
import type { Results } from '../results/schema.ts';
import type { Verdicts } from '../results/verdicts.ts';
import { renderIndex, summarizeRun, type RunSummary } from './index-page.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { renderReport, type ReportAssets } from './render.ts';

/** What writeReport needs; env is passed in (only GITHUB_STEP_SUMMARY is read). */
export interface WriteReportOptions {
  /** Folder holding one sub-folder per run (reports/). */
  outRoot: string;
  results: Results;
  verdicts: Verdicts | null;
  assets: ReportAssets;
  /** The baseline run's results: its series overlay the charts, its chunk sizes give the bundle deltas. */
  baseline?: Results;
  env?: Record<string, string | undefined>;
}

/** Files a report folder gets from us; other files there (Lighthouse, analyzer) are left alone. */
const OWN_FILES = ['index.html', 'results.json', 'verdicts.json', 'junit.xml', 'summary.md'];

function runFolderName(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id) || id.includes('..')) {
    throw new ToolkitError('RESULTS_INVALID', `results.json#/meta/id: '${id}' cannot name a report folder`, {
      fix: 'use letters, digits, dots, dashes and underscores only in the run id',
    });
  }
  return id;
}

function renderFiles(o: WriteReportOptions): Record<string, string> {
  const files: Record<string, string> = {
    'index.html': renderReport(o.results, o.verdicts, o.assets, o.baseline),
    'results.json': JSON.stringify(o.results, null, 2) + '\n',
    'summary.md': renderMarkdown(o.results, o.verdicts),
  };
  if (o.verdicts) {
    files['verdicts.json'] = JSON.stringify(o.verdicts, null, 2) + '\n';
    files['junit.xml'] = renderJunit(o.verdicts, o.results.meta.id);
  }
  return files;
}

/**
 * Writes reports/<run-id>/ atomically: every file is rendered and written to a
 * temporary folder first, then moved in by rename, so a failure leaves either
 * the old report or the new one, never half of one. Then refreshes
 * reports/index.html and appends the summary to $GITHUB_STEP_SUMMARY if set.
 */
export function writeReport(o: WriteReportOptions): { dir: string; files: string[] } {
  const final = path.join(o.outRoot, runFolderName(o.results.meta.id));
  mkdirSync(o.outRoot, { recursive: true });
  const tmp = mkdtempSync(path.join(o.outRoot, `.tmp-${o.results.meta.id}-`));
  let files: Record<string, string>;
  try {
    files = renderFiles(o);
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(tmp, name), text);
    if (!existsSync(final)) {
      renameSync(tmp, final);
    } else {
      for (const name of OWN_FILES) {
        if (files[name] !== undefined) renameSync(path.join(tmp, name), path.join(final, name));
        else rmSync(path.join(final, name), { force: true });
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  writeIndex(o.outRoot);
  const summary = o.env?.GITHUB_STEP_SUMMARY;
  if (summary) appendFileSync(summary, (files['summary.md'] ?? '') + '\n');
  return { dir: final, files: Object.keys(files) };
}

/** Summaries of every run folder under outRoot with a valid results.json (others are skipped). */
export function collectRuns(outRoot: string): RunSummary[] {
  const runs: RunSummary[] = [];
  for (const entry of readdirSync(outRoot, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dir = path.join(outRoot, entry.name);
    try {
      const results = readResults(path.join(dir, 'results.json'));
      const verdictsFile = path.join(dir, 'verdicts.json');
      const verdicts = existsSync(verdictsFile) ? readVerdicts(verdictsFile) : null;
      runs.push(summarizeRun(results, verdicts, `${entry.name}/index.html`));
    } catch (err) {
      if (!(err instanceof ToolkitError)) throw err;
    }
  }
  return runs;
}

/** Rewrites reports/index.html (temp file + rename). */
export function writeIndex(outRoot: string): string {
  const file = path.join(outRoot, 'index.html');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, renderIndex(collectRuns(outRoot)));
  renameSync(tmp, file);
  return file;
}
