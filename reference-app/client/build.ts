/**
 * Builds the browser app with webpack's Node API. Used by `npm run build`
 * and by the load-test pipeline (`buildClient`). A build whose inputs (client
 * sources, lockfile, mode) did not change since the last one is skipped.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import webpack from 'webpack';
import type { Configuration, Stats } from 'webpack';
import { ToolkitError } from '../../toolkit/errors.ts';
import { BUILD_STATS_DIR, CLIENT_DIR, createClientConfig, DIST_DIR, STATS_FILE } from './webpack.config.ts';
import type { BuildMode } from './webpack.config.ts';

export interface BuildClientOptions {
  mode?: BuildMode;
  /** People's progress lines (stderr in the CLI). */
  log?: (line: string) => void;
  /** Rebuild even when the inputs did not change. */
  force?: boolean;
}

/** One emitted file with its raw and compressed sizes in bytes. */
export interface BuiltAsset {
  name: string;
  bytes: number;
  gzipBytes: number | null;
  brotliBytes: number | null;
}

export interface BuildClientResult {
  outDir: string;
  statsPath: string;
  skipped: boolean;
  durationMs: number;
  assets: BuiltAsset[];
  warnings: string[];
}

const STAMP_FILE = '.build-stamp';
const IGNORED = new Set(['dist', 'build-stats', 'node_modules']);

function listInputs(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (IGNORED.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listInputs(full, out);
    else if (!/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** A hash of everything that shapes the output: client files, lockfile and mode. */
export function inputsHash(mode: BuildMode): string {
  const hash = createHash('sha256').update(mode);
  const lockfile = path.join(CLIENT_DIR, '../../package-lock.json');
  for (const file of [...listInputs(CLIENT_DIR), lockfile]) {
    if (!existsSync(file)) continue;
    hash.update(path.relative(CLIENT_DIR, file)).update(readFileSync(file));
  }
  return hash.digest('hex');
}

function listAssets(outDir: string): BuiltAsset[] {
  const names = readdirSync(outDir).filter(
    (n) => !/\.(gz|br)$/.test(n) && !n.startsWith('.') && statSync(path.join(outDir, n)).isFile(),
  );
  const size = (file: string): number | null => (existsSync(file) ? statSync(file).size : null);
  return names
    .map((name) => ({
      name,
      bytes: statSync(path.join(outDir, name)).size,
      gzipBytes: size(path.join(outDir, name + '.gz')),
      brotliBytes: size(path.join(outDir, name + '.br')),
    }))
    .sort((a, b) => b.bytes - a.bytes);
}

/** Runs one webpack build of `config`; rejects with BUILD_FAILED when webpack cannot run (not on compile errors). */
export function runWebpack(config: Configuration): Promise<Stats> {
  const compiler = webpack(config);
  return new Promise((resolve, reject) => {
    compiler.run((err, stats) => {
      compiler.close(() => {
        if (err || !stats)
          reject(
            new ToolkitError('BUILD_FAILED', `webpack could not run: ${err?.message ?? 'no stats'}`, {
              fix: 'check reference-app/client/webpack.config.ts',
              cause: err,
            }),
          );
        else resolve(stats);
      });
    });
  });
}

export async function buildClient(options: BuildClientOptions = {}): Promise<BuildClientResult> {
  const { mode = 'production', log = () => undefined, force = false } = options;
  const outDir = DIST_DIR;
  const statsPath = path.join(BUILD_STATS_DIR, STATS_FILE);
  const started = Date.now();
  const hash = inputsHash(mode);
  const stampPath = path.join(outDir, STAMP_FILE);
  const upToDate = !force && existsSync(statsPath) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === hash;
  if (upToDate) {
    log(`client build up to date (${path.relative(process.cwd(), outDir) || outDir}), skipped; use --force to rebuild`);
    return {
      outDir,
      statsPath,
      skipped: true,
      durationMs: Date.now() - started,
      assets: listAssets(outDir),
      warnings: [],
    };
  }
  log(`building the client (${mode})…`);
  const stats = await runWebpack(createClientConfig({ mode, outDir }));
  const info = stats.toJson({ all: false, errors: true, warnings: true });
  if (stats.hasErrors()) {
    const first =
      info.errors
        ?.slice(0, 3)
        .map((e) => e.message)
        .join('\n') ?? 'unknown error';
    throw new ToolkitError('BUILD_FAILED', `the client build failed:\n${first}`, {
      fix: 'fix the errors in reference-app/client and run `npm run build` again',
    });
  }
  const warnings = (info.warnings ?? []).map((w) => w.message.split('\n')[0] ?? w.message);
  writeFileSync(stampPath, hash);
  return { outDir, statsPath, skipped: false, durationMs: Date.now() - started, assets: listAssets(outDir), warnings };
}
