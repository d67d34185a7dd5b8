import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Response } from 'express';
import type { CacheResult } from '../cache/response-cache.ts';
import type { CachedBody } from '../cache/local-cache.ts';
import type { ServedBy } from '../db/trace.ts';

const COMPRESS_MIN_BYTES = 1024;

/**
 * Sends a cached (already serialised) response with X-Cache, X-Served-By,
 * ETag / 304, and a compressed variant computed once per entry.
 */
export function sendCached(req: IncomingMessage, res: ServerResponse, result: CacheResult): void {
  const { entry } = result;
  res.setHeader('X-Cache', result.status);
  res.setHeader('X-Served-By', result.servedBy);
  res.setHeader('ETag', entry.etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('Vary', 'Accept-Encoding, Cookie');
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === entry.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  const body = pickEncoding(req, res, entry);
  res.setHeader('Content-Length', body.length);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * The same answer as sendCached, written with one writeHead of a flat header
 * list (Node's fast path when nothing was set before), for the hot path.
 */
export function writeCached(
  req: IncomingMessage,
  res: ServerResponse,
  result: CacheResult,
  baseHeaders: string[],
): void {
  const { entry } = result;
  const common = [
    ...baseHeaders,
    'X-Cache',
    result.status,
    'X-Served-By',
    result.servedBy,
    'ETag',
    entry.etag,
    'Cache-Control',
    'private, no-cache',
    'Vary',
    'Accept-Encoding, Cookie',
  ];
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === entry.etag)) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  const { body, encoding } = encoded(req, entry);
  if (encoding) common.push('Content-Encoding', encoding);
  common.push('Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(body.length));
  res.writeHead(200, common);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function encoded(req: IncomingMessage, entry: CachedBody): { body: Buffer; encoding?: 'br' | 'gzip' } {
  if (entry.body.length < COMPRESS_MIN_BYTES) return { body: entry.body };
  const accept = req.headers['accept-encoding'] ?? '';
  if (/\bbr\b/.test(accept)) {
    entry.br ??= brotliCompressSync(entry.body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } });
    return { body: entry.br, encoding: 'br' };
  }
  if (/\bgzip\b/.test(accept)) {
    entry.gzip ??= gzipSync(entry.body, { level: 6 });
    return { body: entry.gzip, encoding: 'gzip' };
  }
  return { body: entry.body };
}

function pickEncoding(req: IncomingMessage, res: ServerResponse, entry: CachedBody): Buffer {
  const { body, encoding } = encoded(req, entry);
  if (encoding) res.setHeader('Content-Encoding', encoding);
  return body;
}

/** Sends an uncached JSON answer with where it came from. */
export function sendJson(res: Response, status: number, body: unknown, servedBy: ServedBy): void {
  res.setHeader('X-Served-By', servedBy);
  res.setHeader('Cache-Control', 'no-store');
  res.status(status).json(body);
}
