import { readFileSync } from 'node:fs';
import { ToolkitError } from '../errors.ts';

/** The parts of webpack 5 stats JSON (stats.toJson({ all: false, assets, chunks, entrypoints, chunkGroups })) this module reads. */
export interface WebpackStats {
  version?: string;
  hash?: string;
  outputPath?: string;
  assets: Array<{ name: string; size?: number; type?: string }>;
  chunks: Array<{ id?: string | number; names?: string[]; initial?: boolean; entry?: boolean; files?: string[] }>;
  entrypoints: Record<string, { name?: string; assets?: Array<string | { name: string }> }>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads and checks a stats file; a multi-compiler file uses its first child that has assets. */
export function readStats(statsPath: string): WebpackStats {
  let text: string;
  try {
    text = readFileSync(statsPath, 'utf8');
  } catch {
    throw new ToolkitError('FILE_NOT_FOUND', `webpack stats file ${statsPath} does not exist`, {
      fix: 'build the client first (its webpack build writes the stats file), or pass the path of your stats file',
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ToolkitError('JSON_INVALID', `${statsPath} is not valid JSON: ${(err as Error).message}`, {
      fix: 'rebuild to regenerate the stats file',
    });
  }
  if (isObject(parsed) && !Array.isArray(parsed['assets']) && Array.isArray(parsed['children'])) {
    parsed =
      (parsed['children'] as unknown[]).find((child) => isObject(child) && Array.isArray(child['assets'])) ?? parsed;
  }
  if (!isObject(parsed) || !Array.isArray(parsed['assets'])) {
    throw new ToolkitError(
      'JSON_INVALID',
      `${statsPath}#/assets: missing; this is not webpack stats JSON with assets`,
      {
        fix: 'write stats with stats.toJson({ all: false, assets: true, chunks: true, entrypoints: true, chunkGroups: true })',
      },
    );
  }
  return {
    version: typeof parsed['version'] === 'string' ? parsed['version'] : undefined,
    hash: typeof parsed['hash'] === 'string' ? parsed['hash'] : undefined,
    outputPath: typeof parsed['outputPath'] === 'string' ? parsed['outputPath'] : undefined,
    assets: parsed['assets'] as WebpackStats['assets'],
    chunks: Array.isArray(parsed['chunks']) ? (parsed['chunks'] as WebpackStats['chunks']) : [],
    entrypoints: isObject(parsed['entrypoints']) ? (parsed['entrypoints'] as WebpackStats['entrypoints']) : {},
  };
}

/** Asset names of an entry point (webpack 5 lists { name, size } objects, older versions plain names). */
export function entrypointAssetNames(entry: WebpackStats['entrypoints'][string]): string[] {
  return (entry.assets ?? []).map((asset) => (typeof asset === 'string' ? asset : asset.name));
}
