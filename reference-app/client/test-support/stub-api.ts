/**
 * A tiny real HTTP server standing in for the API in component tests (the
 * real server needs PostgreSQL and Redis; the end-to-end tests use it).
 * Node's fetch cannot resolve the app's relative `/api/...` URLs, so
 * `installFetchBase` points them at this server's origin.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

export interface StubRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface StubReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type StubHandler = (req: StubRequest) => StubReply | undefined;

export interface StubApi {
  url: string;
  requests: StubRequest[];
  /** Replaces the answer for `METHOD /path` (query string ignored). */
  on(method: string, path: string, reply: StubReply | StubHandler): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export async function startStubApi(): Promise<StubApi> {
  const routes = new Map<string, StubHandler>();
  const requests: StubRequest[] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const stubReq = { method: req.method ?? 'GET', path, body };
      requests.push(stubReq);
      const reply = routes.get(`${stubReq.method} ${path}`)?.(stubReq) ?? {
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: `no stub for ${stubReq.method} ${path}` } },
      };
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on(method, path, reply) {
      routes.set(`${method} ${path}`, typeof reply === 'function' ? reply : () => reply);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Resolves relative fetch URLs against `base`; returns the function that restores fetch. */
export function installFetchBase(base: string): () => void {
  const original = globalThis.fetch;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
    original(typeof input === 'string' && input.startsWith('/') ? new URL(input, base) : input, init);
  return () => {
    globalThis.fetch = original;
  };
}

/**
 * For the enclosing test file or describe block: before its tests, starts a stub API, points relative
 * fetches at it and hands it to `ready` (to keep it and add routes); after them, undoes both.
 */
export function useStubApi(ready: (api: StubApi) => void): void {
  let api: StubApi | undefined;
  let restoreFetch = (): void => undefined;
  beforeAll(async () => {
    api = await startStubApi();
    restoreFetch = installFetchBase(api.url);
    ready(api);
  });
  afterAll(async () => {
    restoreFetch();
    await api?.close();
  });
}
