/**
 * `perfkit init`: sets a project up to measure its own app. Asks for the URL and pages on a terminal, or
 * takes them from --url / --pages (--yes takes the defaults); writes perfkit.config.json, perf/smoke.ts,
 * perf/load.ts and perf/budget.json, never over an existing file without --force; says what to run next.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { EXIT, usageError } from '../errors.ts';
import { assertLoopback } from '../target/index.ts';
import { parseFlags } from './args.ts';
import { configFile, loadScenario, smokeScenario, starterBudget } from './init-templates.ts';
import type { CliIo } from './io.ts';

const HELP = `Usage: perfkit init [--url URL] [--pages /,/about] [--yes] [--force]

Writes perfkit.config.json (target, pages, scenarios, budget), perf/smoke.ts and perf/load.ts (k6 scenarios
typed by @types/k6, runnable by k6 as they are) and perf/budget.json (starter limits, each explained).
On a terminal it asks for what the flags do not give; --yes takes the defaults (http://127.0.0.1:3000, /).
Existing files are kept unless --force.`;

const FLAGS = {
  url: { type: 'string' },
  pages: { type: 'string' },
  yes: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

function parsePages(text: string, where: string): string[] {
  const pages = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const bad = pages.find((p) => !p.startsWith('/'));
  if (bad !== undefined || pages.length === 0)
    throw usageError(`${where} ${text}: expected comma-separated paths starting with /`, 'e.g. --pages /,/about');
  return pages;
}

async function ask(io: CliIo, question: string, fallback: string): Promise<string> {
  if (!io.stdin) return fallback;
  const rl = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream });
  try {
    return (await rl.question(`${question} (${fallback}): `)).trim() || fallback;
  } finally {
    rl.close();
  }
}

/** The init command. */
export async function runInit(io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(io.argv, FLAGS, HELP);
  if (values.help) {
    io.stdout.write(HELP + '\n');
    return EXIT.ok;
  }
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, HELP);
  const interactive = !values.yes && Boolean(io.stdin?.isTTY);
  const url =
    values.url ??
    (interactive ? await ask(io, 'URL of your running app', 'http://127.0.0.1:3000') : 'http://127.0.0.1:3000');
  assertLoopback(url, values.url ? '--url' : 'the URL');
  const pagesText = values.pages ?? (interactive ? await ask(io, 'pages to measure, comma-separated', '/') : '/');
  const pages = parsePages(pagesText, values.pages ? '--pages' : 'pages');
  const origin = new URL(url).origin;
  const files: Record<string, string> = {
    'perfkit.config.json': configFile(origin, pages),
    'perf/smoke.ts': smokeScenario(origin, pages),
    'perf/load.ts': loadScenario(origin, pages),
    'perf/budget.json': starterBudget(),
  };
  const existing = Object.keys(files).filter((f) => existsSync(path.join(io.cwd, f)));
  if (existing.length > 0 && !values.force)
    throw usageError(
      `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}`,
      'keep them, or run perfkit init --force to overwrite',
    );
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(io.cwd, file)), { recursive: true });
    writeFileSync(path.join(io.cwd, file), text);
    io.stderr.write(`wrote ${file}\n`);
  }
  io.stderr.write(
    [
      '',
      'Next:',
      `  1. start your app at ${origin}`,
      '  2. npx perfkit loadtest          (the full run; --ci for a quick gate under a minute or two)',
      '  3. open the report it names; tighten perf/budget.json to what your app meets',
      'Types for the scenarios: npm install -D @types/k6. Every config key: docs/config.md in the perfkit package.',
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}
