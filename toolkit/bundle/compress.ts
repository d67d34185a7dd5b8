import { existsSync, readFileSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
import type { SizeTriple } from './types.ts';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** gzip level 9 and brotli quality 11: what build-time compression plugins and size-limit use. */
export const GZIP_OPTIONS = { level: 9 };
export const brotliOptions = (size: number): { params: Record<number, number> } => ({
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: size },
});

export interface FileSizes {
  size: SizeTriple;
  compressed: { gzip: 'sibling' | 'computed'; brotli: 'sibling' | 'computed' };
}

function siblingSize(path: string): number | null {
  return existsSync(path) ? statSync(path).size : null;
}

/** Raw size from disk; gzip/brotli from precompressed .gz/.br siblings when present (what gets served), else compressed here. */
export async function fileSizes(path: string): Promise<FileSizes> {
  const content = readFileSync(path);
  const gzSibling = siblingSize(`${path}.gz`);
  const brSibling = siblingSize(`${path}.br`);
  const gzipSize = gzSibling ?? (await gzipAsync(content, GZIP_OPTIONS)).length;
  const brotliSize = brSibling ?? (await brotliAsync(content, brotliOptions(content.length))).length;
  return {
    size: { raw: content.length, gzip: gzipSize, brotli: brotliSize },
    compressed: {
      gzip: gzSibling === null ? 'computed' : 'sibling',
      brotli: brSibling === null ? 'computed' : 'sibling',
    },
  };
}

/** gzip size of a file, synchronously (a .gz sibling wins). */
export function gzipSizeSync(path: string): number {
  return siblingSize(`${path}.gz`) ?? gzipSync(readFileSync(path), GZIP_OPTIONS).length;
}

/** brotli size of a buffer, synchronously; for tests and small files. */
export function brotliSizeSync(content: Buffer): number {
  return brotliCompressSync(content, brotliOptions(content.length)).length;
}

export const sumSizes = (sizes: SizeTriple[]): SizeTriple =>
  sizes.reduce((acc, s) => ({ raw: acc.raw + s.raw, gzip: acc.gzip + s.gzip, brotli: acc.brotli + s.brotli }), {
    raw: 0,
    gzip: 0,
    brotli: 0,
  });
