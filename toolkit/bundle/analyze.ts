import { existsSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { ToolkitError } from '../errors.ts';
import { fileSizes, gzipSizeSync, sumSizes } from './compress.ts';
import { entrypointAssetNames, readStats } from './stats-file.ts';
import type { WebpackStats } from './stats-file.ts';
import type { AssetKind, BundleAsset, BundleChunk, BundleEntrypoint, BundleResult, SizeTriple } from './types.ts';

/** Options of {@link analyzeBundle}. */
export interface AnalyzeBundleOptions {
  statsPath: string;
  /** Folder holding the emitted files; default: the stats file's folder, else the stats' outputPath. */
  outDir?: string;
  /** webpack-bundle-analyzer report; default: bundle-report.html beside the stats file, else in outDir, when it exists. */
  reportPath?: string;
}

const KINDS: Array<[AssetKind, RegExp]> = [
  ['js', /^\.(m|c)?js$/],
  ['css', /^\.css$/],
  ['html', /^\.html?$/],
  ['image', /^\.(png|jpe?g|gif|svg|webp|avif|ico)$/],
  ['font', /^\.(woff2?|ttf|otf|eot)$/],
];

/** webpack may add a query (main.js?h=abc) to names; the file on disk has none. */
const fileName = (name: string): string => name.replace(/\?.*$/, '');

export function assetKind(name: string): AssetKind {
  const ext = extname(fileName(name)).toLowerCase();
  return KINDS.find(([, pattern]) => pattern.test(ext))?.[0] ?? 'other';
}

/** Source maps, precompressed siblings and licence notes are not shipped to (or counted for) users. */
function isCounted(asset: WebpackStats['assets'][number]): boolean {
  if (asset.type !== undefined && asset.type !== 'asset') return false;
  return !/\.(map|gz|br)$|\.LICENSE\.txt$/i.test(fileName(asset.name));
}

function resolveOutDir(statsPath: string, stats: WebpackStats, outDir: string | undefined): string {
  if (outDir !== undefined) return resolve(outDir);
  const probe = stats.assets.find(isCounted)?.name;
  const candidates = [dirname(resolve(statsPath)), ...(stats.outputPath ? [stats.outputPath] : [])];
  return (
    candidates.find((dir) => probe === undefined || existsSync(join(dir, fileName(probe)))) ?? (candidates[0] as string)
  );
}

function chunkId(chunk: WebpackStats['chunks'][number]): string {
  if (chunk.id !== undefined) return String(chunk.id);
  if (chunk.names && chunk.names.length > 0) return chunk.names.join('+');
  return chunk.files?.[0] ?? '?';
}

function sizeOfNames(names: string[], sizes: Map<string, BundleAsset>, kind?: AssetKind): SizeTriple {
  return sumSizes(
    names.flatMap((name) => {
      const asset = sizes.get(name);
      return asset && (kind === undefined || asset.kind === kind) ? [asset.size] : [];
    }),
  );
}

async function measureAssets(stats: WebpackStats, outDir: string, statsPath: string): Promise<BundleAsset[]> {
  const assets: BundleAsset[] = [];
  for (const asset of stats.assets.filter(isCounted)) {
    const path = join(outDir, fileName(asset.name));
    if (!existsSync(path)) {
      throw new ToolkitError('FILE_NOT_FOUND', `${statsPath} lists ${asset.name} but ${path} does not exist`, {
        fix: 'rebuild so the stats and the output folder match, or pass the right outDir',
      });
    }
    const { size, compressed } = await fileSizes(path);
    assets.push({ name: asset.name, kind: assetKind(asset.name), size, compressed });
  }
  return assets;
}

function totalsByKind(assets: BundleAsset[]): BundleResult['totalsByKind'] {
  const out: BundleResult['totalsByKind'] = {};
  for (const asset of assets)
    out[asset.kind] = sumSizes([out[asset.kind] ?? { raw: 0, gzip: 0, brotli: 0 }, asset.size]);
  return out;
}

/**
 * Sizes of a webpack build from its stats JSON: per entry point (initial JS,
 * CSS, total), per chunk and per asset, raw / gzip / brotli, measured on the
 * files in the output folder.
 */
export async function analyzeBundle(options: AnalyzeBundleOptions): Promise<BundleResult> {
  const stats = readStats(options.statsPath);
  const outDir = resolveOutDir(options.statsPath, stats, options.outDir);
  const assets = await measureAssets(stats, outDir, options.statsPath);
  const byName = new Map(assets.map((a) => [a.name, a]));
  const entrypoints: BundleEntrypoint[] = Object.entries(stats.entrypoints).map(([name, entry]) => {
    const names = entrypointAssetNames(entry).filter((n) => byName.has(n));
    return {
      name,
      assets: names,
      js: sizeOfNames(names, byName, 'js'),
      css: sizeOfNames(names, byName, 'css'),
      total: sizeOfNames(names, byName),
    };
  });
  const chunks: BundleChunk[] = stats.chunks.map((chunk) => {
    const files = (chunk.files ?? []).filter((f) => byName.has(f));
    return {
      id: chunkId(chunk),
      names: chunk.names ?? [],
      initial: chunk.initial === true,
      entry: chunk.entry === true,
      files,
      size: sizeOfNames(files, byName),
    };
  });
  // Builds that keep their artefacts out of the served folder put the report beside the stats file.
  const defaultReport = [dirname(resolve(options.statsPath)), outDir]
    .map((dir) => join(dir, 'bundle-report.html'))
    .find((file) => existsSync(file));
  const reportPath = options.reportPath ?? defaultReport ?? null;
  return {
    statsPath: resolve(options.statsPath),
    outDir,
    webpackVersion: stats.version ?? null,
    hash: stats.hash ?? null,
    entrypoints,
    chunks,
    assets,
    total: sumSizes(assets.map((a) => a.size)),
    totalsByKind: totalsByKind(assets),
    reportPath: reportPath !== null && existsSync(reportPath) ? resolve(reportPath) : null,
  };
}

/**
 * Initial JavaScript of one entry point, gzip bytes: what a first visit must
 * download before the app runs. Synchronous, for the server's /api/performance
 * bundleSize and benchmark scripts.
 */
export function bundleSizeFromStats(statsPath: string, entry = 'main', options: { outDir?: string } = {}): number {
  const stats = readStats(statsPath);
  const found = stats.entrypoints[entry];
  if (!found) {
    throw new ToolkitError(
      'CONFIG_INVALID',
      `${statsPath}#/entrypoints/${entry}: no entry point "${entry}" (found: ${Object.keys(stats.entrypoints).join(', ') || 'none'})`,
      {
        fix: 'name one of the entry points listed, or check the webpack config entry',
      },
    );
  }
  const outDir = resolveOutDir(statsPath, stats, options.outDir);
  const js = entrypointAssetNames(found).filter((name) => assetKind(name) === 'js');
  return js.reduce((total, name) => {
    const path = join(outDir, fileName(name));
    if (!existsSync(path))
      throw new ToolkitError('FILE_NOT_FOUND', `${statsPath} lists ${name} but ${path} does not exist`, {
        fix: 'rebuild the client',
      });
    return total + gzipSizeSync(path);
  }, 0);
}
