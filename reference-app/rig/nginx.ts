/**
 * nginx as the load balancer in front of N app instances and the edge for the
 * built client: hashed assets cached for a year (precompressed siblings served
 * as they are), index.html and the service worker revalidated, SPA routes
 * answered with index.html, /api and the operations endpoints proxied over
 * keep-alive connections. A private instance: config, pid, logs and temp
 * folders in the stack folder, never the system service or /etc/nginx.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { ToolkitError } from '../../toolkit/errors.ts';
import { findServer, spawnEdge, type EdgeProcess, type FindServerOptions } from './edge-process.ts';
import { freePort } from '../../toolkit/process/ports.ts';

/** Options of startNginx. */
export interface NginxOptions {
  /** Ports of the app instances on 127.0.0.1 (they may start after nginx; it retries them). */
  upstreamPorts: number[];
  /** The built client (index.html, hashed assets, sw.js). */
  staticDir: string;
  /** Folder for nginx.conf, pid, logs and temp folders (created). */
  dir: string;
  env?: Record<string, string | undefined>;
  extraDirs?: string[];
  port?: number;
  /** Worker processes (default: 1 on up to 2 cores, else 2: the app instances need the cores more). */
  workers?: number;
  detached?: boolean;
}

/** A running nginx. */
export interface Nginx extends EdgeProcess {
  port: number;
  url: string;
}

/** Finds the nginx binary (PATH, then /usr/sbin and friends) or throws BINARY_MISSING naming the packages. */
export function findNginx(options: FindServerOptions = {}): string {
  return findServer('nginx', { debian: 'nginx', homebrew: 'nginx', why: 'needed for --nginx' }, options);
}

/** webpack's [contenthash] in a file name (the app's own static handler uses the same rule). */
const HASHED = '[.-][0-9a-f]{8,}\\.[a-z0-9]+$';

const TYPES: Record<string, string> = {
  'text/html': 'html',
  'text/javascript': 'js mjs',
  'text/css': 'css',
  'application/json': 'json map',
  'image/svg+xml': 'svg',
  'image/png': 'png',
  'image/jpeg': 'jpg jpeg',
  'image/webp': 'webp',
  'image/x-icon': 'ico',
  'font/woff2': 'woff2',
  'text/plain': 'txt',
  'application/manifest+json': 'webmanifest',
};

/** The worker user when we run as root: `nobody` and its group from /etc/passwd and /etc/group. */
export function workerUser(): string | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  try {
    const passwd = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('nobody:'));
    const gid = passwd?.split(':')[3];
    const group = readFileSync('/etc/group', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[2] === gid)
      ?.split(':')[0];
    return passwd && group ? `nobody ${group}` : undefined;
  } catch {
    return undefined;
  }
}

/** Modules this nginx build has beyond the standard set (brotli is third-party: used only when compiled in). */
export function nginxFeatures(bin: string): { brotli: boolean } {
  try {
    const out = execFileSync(bin, ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 });
    return { brotli: /brotli/.test(out) };
  } catch (err) {
    // nginx -V prints to stderr
    const stderr = (err as { stderr?: string }).stderr ?? '';
    return { brotli: /brotli/.test(stderr) };
  }
}

function edgeHeaders(cacheControl: string): string[] {
  return [
    `add_header Cache-Control "${cacheControl}" always;`,
    'add_header X-Edge nginx always;',
    'add_header X-Content-Type-Options nosniff always;',
  ];
}

function proxyBlock(): string[] {
  return [
    'proxy_pass http://app;',
    'proxy_http_version 1.1;',
    'proxy_set_header Connection "";',
    'proxy_set_header Host $http_host;',
    'proxy_set_header X-Real-IP $remote_addr;',
    'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    'proxy_set_header X-Forwarded-Proto $scheme;',
    'proxy_connect_timeout 2s;',
    'proxy_read_timeout 60s;',
    'add_header X-Edge nginx always;',
  ];
}

/** The nginx.conf text (a pure function, unit-tested). */
export function nginxConf(o: {
  port: number;
  dir: string;
  staticDir: string;
  upstreamPorts: number[];
  workers: number;
  user: string | undefined;
  brotli: boolean;
}): string {
  const compressed = ['gzip_static on;', ...(o.brotli ? ['brotli_static on;'] : [])];
  const lines = [
    '# perfkit private stack: generated, rewritten on each start',
    ...(o.user ? [`user ${o.user};`] : []),
    'daemon off;',
    'master_process on;',
    `worker_processes ${o.workers};`,
    `pid ${join(o.dir, 'nginx.pid')};`,
    `error_log ${join(o.dir, 'error.log')} warn;`,
    'events { worker_connections 4096; }',
    'http {',
    `  types { ${Object.entries(TYPES)
      .map(([t, ext]) => `${t} ${ext};`)
      .join(' ')} }`,
    '  default_type application/octet-stream;',
    '  charset utf-8;',
    '  charset_types text/css text/javascript application/json text/plain application/manifest+json;',
    `  access_log ${join(o.dir, 'access.log')} combined buffer=64k flush=2s;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(o.dir, 'temp', t)};`),
    '  sendfile on; tcp_nopush on; server_tokens off;',
    '  keepalive_timeout 65s; keepalive_requests 10000;',
    // The app compresses its own answers and the build ships .gz/.br siblings: nothing left to compress here.
    '  gzip off;',
    '  upstream app {',
    '    least_conn;',
    ...o.upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=3 fail_timeout=2s;`),
    '    keepalive 64;',
    '    keepalive_requests 10000;',
    '  }',
    '  server {',
    `    listen 127.0.0.1:${o.port};`,
    `    root ${o.staticDir};`,
    '    location ~ ^/(api(/|$)|metrics$|healthz$|readyz$) {',
    ...proxyBlock().map((l) => `      ${l}`),
    '    }',
    `    location ~* "${HASHED}" {`,
    ...[...compressed, ...edgeHeaders('public, max-age=31536000, immutable'), 'try_files $uri =404;'].map(
      (l) => `      ${l}`,
    ),
    '    }',
    '    location ~ ^/(index\\.html|sw\\.js|service-worker\\.js)$ {',
    ...[...compressed, ...edgeHeaders('no-cache'), 'try_files $uri =404;'].map((l) => `      ${l}`),
    '    }',
    '    location / {',
    ...[...compressed, ...edgeHeaders('no-cache'), 'try_files $uri @spa;'].map((l) => `      ${l}`),
    '    }',
    // A client-side route gets the app shell; a missing file (it has an extension) stays a 404.
    '    location @spa {',
    '      add_header X-Edge nginx always;',
    '      if ($uri ~ "\\.[A-Za-z0-9]+$") { return 404; }',
    '      rewrite ^ /index.html last;',
    '    }',
    '  }',
    '}',
    '',
  ];
  return lines.join('\n');
}

/** Any HTTP answer from nginx itself means it listens (the upstreams may not be up yet). */
async function answers(url: string): Promise<boolean> {
  const res = await fetch(`${url}/index.html`, { signal: AbortSignal.timeout(1000) });
  await res.body?.cancel();
  return res.headers.get('x-edge') === 'nginx';
}

/** Starts a private nginx on a free loopback port in front of the upstream ports; resolves once it answers. */
export async function startNginx(options: NginxOptions): Promise<Nginx> {
  const bin = findNginx({
    ...(options.env ? { env: options.env } : {}),
    ...(options.extraDirs ? { extraDirs: options.extraDirs } : {}),
  });
  const staticDir = resolve(options.staticDir);
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new ToolkitError(
      'FILE_NOT_FOUND',
      `${join(staticDir, 'index.html')} does not exist (nginx serves the built client)`,
      {
        fix: 'build the client first: `npx tsx scripts/build.ts`, or point the static folder at a build',
      },
    );
  }
  if (options.upstreamPorts.length === 0)
    throw new ToolkitError('USAGE', 'startNginx: no upstream ports', { fix: "pass the app instances' ports" });
  const port = options.port ?? (await freePort({ avoid: options.upstreamPorts }));
  const dir = resolve(options.dir);
  await mkdir(join(dir, 'temp'), { recursive: true });
  const workers = options.workers ?? (cpus().length <= 2 ? 1 : 2);
  const conf = nginxConf({
    port,
    dir,
    staticDir,
    upstreamPorts: options.upstreamPorts,
    workers,
    user: workerUser(),
    brotli: nginxFeatures(bin).brotli,
  });
  const confFile = join(dir, 'nginx.conf');
  await writeFile(confFile, conf);
  const url = `http://127.0.0.1:${port}`;
  const proc = await spawnEdge({
    name: 'nginx',
    command: bin,
    // -e: the error log before the config is read (the build's default may be a system path).
    args: ['-p', dir, '-e', join(dir, 'error.log'), '-c', confFile],
    logFile: join(dir, 'nginx.out.log'),
    ready: () => answers(url),
    ...(options.detached ? { detached: true } : {}),
  });
  return { ...proc, port, url };
}
