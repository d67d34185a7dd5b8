/**
 * The JavaScript a browser must download to show one route: the entry
 * point's scripts plus the route's lazy chunk group, read from webpack's
 * stats.json and measured gzipped (the .gz written by the build, or gzipped here).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ToolkitError } from '../../../toolkit/errors.ts';

/** A chunk group (entry point or named async group) in webpack's stats JSON. */
export interface StatsChunkGroup {
  assets?: { name: string }[];
}

/** The parts of webpack's stats JSON read here. */
export interface WebpackStatsJson {
  outputPath?: string;
  entrypoints?: Record<string, StatsChunkGroup>;
  namedChunkGroups?: Record<string, StatsChunkGroup>;
}

/** One script counted as initial JS for the route. */
export interface InitialScript {
  name: string;
  bytes: number;
  gzipBytes: number;
}

export interface InitialJs {
  route: string;
  scripts: InitialScript[];
  bytes: number;
  gzipBytes: number;
}

function gzipSize(file: string): number {
  const gz = file + '.gz';
  if (existsSync(gz)) return statSync(gz).size;
  return zlib.gzipSync(readFileSync(file), { level: 9 }).length;
}

const scriptsOf = (group: StatsChunkGroup | undefined): string[] =>
  (group?.assets ?? []).map((a) => a.name).filter((n) => n.endsWith('.js'));

export function initialJsForRoute(statsPath: string, routeChunk: string, entry = 'main'): InitialJs {
  if (!existsSync(statsPath)) {
    throw new ToolkitError('FILE_NOT_FOUND', `${statsPath} does not exist`, { fix: 'run `npm run build` first' });
  }
  let stats: WebpackStatsJson;
  try {
    stats = JSON.parse(readFileSync(statsPath, 'utf8')) as WebpackStatsJson;
  } catch (err) {
    throw new ToolkitError('JSON_INVALID', `${statsPath} is not valid JSON`, {
      fix: 'rebuild with `npm run build -- --force`',
      cause: err,
    });
  }
  return initialJsFromStats(
    stats,
    { source: statsPath, dir: stats.outputPath ?? path.dirname(statsPath) },
    routeChunk,
    entry,
  );
}

/**
 * The same from stats already in memory (`stats.toJson({ entrypoints: true, chunkGroups: true })`);
 * `where.source` names them in errors, `where.dir` holds the emitted files.
 */
export function initialJsFromStats(
  stats: WebpackStatsJson,
  where: { source: string; dir: string },
  routeChunk: string,
  entry = 'main',
): InitialJs {
  const entryScripts = scriptsOf(stats.entrypoints?.[entry]);
  if (entryScripts.length === 0) {
    throw new ToolkitError('RESULTS_INVALID', `${where.source}#/entrypoints/${entry} lists no scripts`, {
      fix: 'rebuild with `npm run build -- --force`',
    });
  }
  const routeScripts = scriptsOf(stats.namedChunkGroups?.[routeChunk]);
  if (routeScripts.length === 0) {
    throw new ToolkitError('RESULTS_INVALID', `${where.source}#/namedChunkGroups/${routeChunk} lists no scripts`, {
      fix: `keep the /* webpackChunkName: "${routeChunk}" */ comment on the route's import()`,
    });
  }
  const names = [...new Set([...entryScripts, ...routeScripts])];
  const scripts = names.map((name) => {
    const file = path.join(existsSync(path.join(where.dir, name)) ? where.dir : path.dirname(where.source), name);
    return { name, bytes: statSync(file).size, gzipBytes: gzipSize(file) };
  });
  return {
    route: routeChunk,
    scripts,
    bytes: scripts.reduce((s, x) => s + x.bytes, 0),
    gzipBytes: scripts.reduce((s, x) => s + x.gzipBytes, 0),
  };
}
