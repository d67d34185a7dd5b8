import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ToolkitError } from '../errors.ts';
import { parseJsonText } from '../json-text.ts';
import { publishedResultsJsonSchema } from './json-schema.ts';
import type { Results } from './schema.ts';
import type { Verdicts } from './verdicts.ts';
import { compileSchema } from './validate.ts';

let validator: ReturnType<typeof compileSchema> | undefined;

/** Reads and parses a JSON file, naming the file on every failure. */
export function readJsonFile(file: string, cwd = process.cwd()): unknown {
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new ToolkitError(
      'FILE_NOT_FOUND',
      `${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        fix: 'check the path; it is resolved from the current directory',
        cause: err,
      },
    );
  }
  return parseJsonText(text, file);
}

/** Validates data against the published results schema; throws RESULTS_INVALID naming file and JSON pointers. */
export function validateResults(data: unknown, file: string): Results {
  validator ??= compileSchema(publishedResultsJsonSchema());
  const problems = validator(data);
  if (problems.length > 0) {
    const lines = problems.slice(0, 10).map((p) => `${file}#${p.pointer}: ${p.message}`);
    const more = problems.length > 10 ? `\n(${problems.length - 10} more)` : '';
    throw new ToolkitError('RESULTS_INVALID', `${file} does not match results schema v1:\n${lines.join('\n')}${more}`, {
      fix: 'regenerate the results with the same toolkit version, or fix the keys named above (schema: toolkit/results/results.schema.json)',
    });
  }
  return data as Results;
}

/** Reads results.json and validates it; every later stage reads results only through this. */
export function readResults(file: string, cwd = process.cwd()): Results {
  return validateResults(readJsonFile(file, cwd), file);
}

/** Writes a JSON file atomically (temp file then rename) so readers never see half a file. */
export function writeJsonAtomic(file: string, data: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n');
  renameSync(tmp, file);
}

/** Validates results against the published schema, then writes them atomically (results.json of a run). */
export function writeResults(file: string, results: Results): void {
  writeJsonAtomic(file, validateResults(results, file));
}

/** Reads verdicts.json written by the budgets stage; a file of another shape is RESULTS_INVALID. */
export function readVerdicts(file: string, cwd = process.cwd()): Verdicts {
  const data = readJsonFile(file, cwd) as Partial<Verdicts> | null;
  if (
    data === null ||
    typeof data !== 'object' ||
    data.schemaVersion !== 1 ||
    !Array.isArray(data.verdicts) ||
    !Array.isArray(data.budgets)
  ) {
    throw new ToolkitError('RESULTS_INVALID', `${file}: not a verdicts.json of schema version 1`, {
      fix: 'judge the results again: npm run budgets -- check --results <results.json>',
    });
  }
  return data as Verdicts;
}
