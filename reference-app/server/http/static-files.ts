import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import { invalidUrl } from './errors.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
/** webpack's [contenthash] in a file name: such a file never changes, so it may be cached forever. */
const HASHED = /[.-][0-9a-f]{8,}\.[a-z0-9]+$/i;
const NO_CACHE = new Set(['index.html', 'sw.js', 'service-worker.js']);
/** Build artefacts for tools (absolute build paths, module lists): never served, even if a build left them here. */
const NOT_SERVED = new Set(['stats.json', 'bundle-report.html']);

/**
 * The built SPA: hashed assets immutable for a year, precompressed .br/.gz
 * when the client accepts them, index.html and the service worker
 * revalidated every time, and index.html for any other non-API path.
 */
export function staticFiles(root: string, assetBaseUrl: string | undefined): RequestHandler {
  const index = indexHtml(root, assetBaseUrl);
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/api/') || req.path === '/api')
      return next();
    let rel: string;
    try {
      rel = decodeURIComponent(req.path).replace(/^\/+/, '');
    } catch {
      return next(invalidUrl());
    }
    const file = normalize(join(root, rel));
    if (rel.includes('\0') || (file !== root && !file.startsWith(root + sep))) return next();
    serveFile(req, res, file, rel)
      .then((served) => {
        if (served) return;
        if (extname(rel) !== '' && !req.accepts('html')) return next();
        return index().then((html) => {
          if (html === null) return next();
          res.setHeader('Content-Type', 'text/html; charset=utf-8');
          res.setHeader('Cache-Control', 'no-cache');
          res.send(html);
        });
      })
      .catch(next);
  };
}

async function serveFile(req: Request, res: Response, file: string, rel: string): Promise<boolean> {
  const name = rel.split('/').pop() ?? '';
  const st = await stat(file).catch(() => null);
  if (!st?.isFile() || name === 'index.html' || rel === '' || NOT_SERVED.has(name) || name.startsWith('.'))
    return false;
  const accept = req.headers['accept-encoding'] ?? '';
  let path = file;
  let size = st.size;
  for (const [enc, ext] of [
    ['br', '.br'],
    ['gzip', '.gz'],
  ] as const) {
    if (!new RegExp(`\\b${enc}\\b`).test(accept)) continue;
    const alt = await stat(file + ext).catch(() => null);
    if (alt?.isFile()) {
      path = file + ext;
      size = alt.size;
      res.setHeader('Content-Encoding', enc);
      break;
    }
  }
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
  res.setHeader(
    'Cache-Control',
    HASHED.test(name) && !NO_CACHE.has(name) ? 'public, max-age=31536000, immutable' : 'no-cache',
  );
  const etag = `W/"${st.size.toString(16)}-${st.mtimeMs.toString(16)}${path === file ? '' : extname(path)}"`;
  res.setHeader('ETag', etag);
  if (req.headers['if-none-match'] === etag) {
    res.status(304).end();
    return true;
  }
  res.setHeader('Content-Length', size);
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  await new Promise<void>((resolve, reject) => {
    createReadStream(path).on('error', reject).pipe(res).on('finish', resolve).on('close', resolve);
  });
  return true;
}

/** index.html, re-read when the build replaces it; with a CDN base URL, its hashed asset references point there. */
function indexHtml(root: string, assetBaseUrl: string | undefined): () => Promise<string | null> {
  let cached: { mtimeMs: number; html: string } | undefined;
  return async () => {
    const file = join(root, 'index.html');
    const st = await stat(file).catch(() => null);
    if (!st) return null;
    if (cached?.mtimeMs !== st.mtimeMs) {
      const html = await readFile(file, 'utf8');
      cached = { mtimeMs: st.mtimeMs, html: assetBaseUrl ? rewriteAssets(html, assetBaseUrl) : html };
    }
    return cached.html;
  };
}

export function rewriteAssets(html: string, base: string): string {
  const b = base.replace(/\/+$/, '');
  // Minified HTML may leave attribute values unquoted (src=/main.0a1b2c3d4e.js).
  return html.replace(/(\s(?:src|href)=)(["']?)\/(?!\/)([^"'\s>]+)\2/g, (m, attr: string, q: string, path: string) =>
    HASHED.test(path.split('?')[0] ?? '') ? `${attr}${q}${b}/${path}${q}` : m,
  );
}
