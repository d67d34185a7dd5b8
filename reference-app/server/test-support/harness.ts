import type { AppConfig } from '../config.ts';
import { loadConfig } from '../config.ts';
import type { RunningApp } from '../app.ts';
import { start } from '../app.ts';

/** Server config for tests: the stack's URLs from the environment the global setup exported, plus overrides. */
export function testConfig(env: Record<string, string | undefined>, extra: Record<string, string> = {}): AppConfig {
  return loadConfig({
    LOG_LEVEL: 'error',
    REPLICA_PROBE_MS: '200',
    SNAPSHOT_INTERVAL_MS: '1000',
    ...pickStack(env),
    ...extra,
  });
}

function pickStack(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['DATABASE_URL', 'DATABASE_REPLICA_URL', 'REDIS_URL', 'UPSTREAM_URL']) {
    const v = env[k];
    if (v) out[k] = v;
  }
  return out;
}

/** A minimal cookie-keeping HTTP client over fetch. */
export class Client {
  cookie = '';
  constructor(readonly base: string) {}

  async req(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h['cookie'] = this.cookie;
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(this.base + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0] ?? '';
    return res;
  }

  async json<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await this.req(method, path, body);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
  }

  async login(email: string, password: string): Promise<void> {
    const r = await this.json('POST', '/api/auth/login', { email, password });
    if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

/** Starts an app on port 0 with the given env overrides. */
export function startTestApp(
  env: Record<string, string | undefined>,
  extra: Record<string, string> = {},
): Promise<RunningApp> {
  return start(testConfig(env, extra));
}
