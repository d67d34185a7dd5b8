import path from 'node:path';
import { logger } from '../../toolkit/cli/io.ts';
import type { CliIo } from '../../toolkit/cli/io.ts';
import { EXIT, usageError } from '../../toolkit/errors.ts';
import { buildClient } from './build.ts';
import type { BuildClientResult } from './build.ts';
import type { BuildMode } from './webpack.config.ts';

const HELP = `Usage: npm run build -- [--mode production|development] [--force] [--json] [--quiet]

Builds the reference app's browser client into reference-app/client/dist
(skipped when nothing changed since the last build) and prints asset sizes.

  --mode      production (default) or development
  --force     rebuild even when up to date
  --json      print the result as one JSON object on stdout
  --quiet     no progress output on stderr
`;

interface Flags {
  mode: BuildMode;
  force: boolean;
  json: boolean;
  quiet: boolean;
  help: boolean;
}

export function parseBuildArgs(argv: string[]): Flags {
  const flags: Flags = { mode: 'production', force: false, json: false, quiet: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--force') flags.force = true;
    else if (arg === '--json') flags.json = true;
    else if (arg === '--quiet') flags.quiet = true;
    else if (arg === '--help' || arg === '-h') flags.help = true;
    else if (arg === '--debug') continue;
    else if (arg === '--mode' || arg?.startsWith('--mode=')) {
      const value = arg === '--mode' ? argv[++i] : arg.slice('--mode='.length);
      if (value !== 'production' && value !== 'development')
        throw usageError(`--mode must be production or development, got "${value ?? ''}"`);
      flags.mode = value;
    } else throw usageError(`unknown argument "${arg ?? ''}"`);
  }
  return flags;
}

const kB = (bytes: number | null): string => (bytes === null ? '-' : `${(bytes / 1024).toFixed(1)} kB`);

export function formatSizes(result: BuildClientResult, cwd: string): string[] {
  const lines = [
    `${result.skipped ? 'up to date' : 'built'} in ${(result.durationMs / 1000).toFixed(1)} s → ${path.relative(cwd, result.outDir)}`,
  ];
  lines.push(`${'asset'.padEnd(44)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)} ${'brotli'.padStart(10)}`);
  for (const a of result.assets.filter((x) => /\.(js|html)$/.test(x.name))) {
    lines.push(
      `${a.name.padEnd(44)} ${kB(a.bytes).padStart(10)} ${kB(a.gzipBytes).padStart(10)} ${kB(a.brotliBytes).padStart(10)}`,
    );
  }
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  return lines;
}

/** `npm run build`: the command behind scripts/build.ts. */
export async function runBuild(io: CliIo): Promise<number> {
  const flags = parseBuildArgs(io.argv);
  if (flags.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const log = logger(io, flags.quiet);
  const result = await buildClient({ mode: flags.mode, force: flags.force, log });
  for (const line of formatSizes(result, io.cwd)) log(line);
  if (flags.json) io.stdout.write(JSON.stringify(result) + '\n');
  return EXIT.ok;
}
