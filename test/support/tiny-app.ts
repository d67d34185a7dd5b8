/**
 * A tiny app of the tests' own for loadtest runs: a page, a PerformanceMetrics
 * endpoint and `/api/items`, whose answer can be delayed (`setDelay`) to make
 * a slower build of the same app. Also a small k6 scenario and a CLI io.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { CliIo } from '../../toolkit/cli/io.ts';
import { closeServer, listenLoopback } from './loopback.ts';

export interface TinyApp {
  baseUrl: string;
  /** Milliseconds /api/items waits before answering (0 by default). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export async function startTinyApp(): Promise<TinyApp> {
  let delay = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === '/api/performance') {
      const body = { database: { queryTime: 1.5, connectionCount: 3, slowQueries: [] } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    } else if (req.url === '/api/items') {
      const answer = (): void =>
        void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ id: 1 }, { id: 2 }]));
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    } else if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>tiny</title><p>tiny app</p>');
    } else res.writeHead(404).end();
  });
  const baseUrl = await listenLoopback(server);
  return { baseUrl, setDelay: (ms) => void (delay = ms), close: () => closeServer(server) };
}

/** Writes a k6 scenario hitting /api/items (`iterations` over `vus` VUs, or for `duration`) and returns its path. */
export function writeTinyScenario(dir: string, name: string, options: string): string {
  const file = path.join(dir, `${name}.js`);
  writeFileSync(
    file,
    `import http from 'k6/http';
import { check } from 'k6';
export const options = ${options};
export default function () {
  const res = http.get(__ENV.BASE_URL + '/api/items', { tags: { name: 'items' } });
  check(res, { 'status is 200': (r) => r.status === 200 });
}
`,
  );
  return file;
}

/** A CLI io collecting stdout and stderr, run from `cwd`. */
export function captureIo(argv: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    argv,
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
  };
  return { out, err, io, stdout: () => out.join(''), stderr: () => err.join('') };
}
