import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { start } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';

/** The process IO the runner needs (matches the toolkit's CliIo without importing it). */
export interface RunIo {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  signal?: AbortSignal;
}

const USAGE = `usage: npm run app -- [--instances N] [--port P] [--host H] [--static-dir DIR] [--asset-base-url URL]
Runs N stateless instances of the reference app on one port (node:cluster).
Needs DATABASE_URL, REDIS_URL (and DATABASE_REPLICA_URL, UPSTREAM_URL) in the environment.
Prints {"url","port","instances","pids"} as one JSON line on stdout once every instance listens.
`;

/** Entry of `npm run app`: the cluster primary forks workers; a worker (or a single instance) serves. */
export async function runApp(io: RunIo): Promise<number> {
  const { values } = parseArgs({
    args: io.argv,
    options: {
      instances: { type: 'string', default: '1' }, port: { type: 'string' }, host: { type: 'string' },
      'static-dir': { type: 'string' }, 'asset-base-url': { type: 'string' }, help: { type: 'boolean' }, debug: { type: 'boolean' },
    },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const instances = Number(values.instances);
  if (!Number.isInteger(instances) || instances < 1 || instances > 64) {
    io.stderr.write(`error USAGE: --instances must be an integer 1..64, got ${values.instances}\n`);
    return 2;
  }
  const env: Record<string, string | undefined> = { ...io.env };
  if (values.port !== undefined) env['PORT'] = values.port;
  if (values.host !== undefined) env['HOST'] = values.host;
  if (values['static-dir'] !== undefined) env['STATIC_DIR'] = values['static-dir'];
  if (values['asset-base-url'] !== undefined) env['ASSET_BASE_URL'] = values['asset-base-url'];
  try {
    loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`error CONFIG_INVALID: ${err.message}\n  fix: set the variables named above (see reference-app/server/config.ts)\n`);
    return 2;
  }
  if (instances > 1 && cluster.isPrimary) return runPrimary(instances, env, io);
  return runInstance(env, io);
}

async function runInstance(env: Record<string, string | undefined>, io: RunIo): Promise<number> {
  const config = loadConfig(env);
  const log = createLogger(config.logLevel, { pid: process.pid });
  const app = await start(config, log);
  if (cluster.isWorker) process.send?.({ type: 'listening', port: app.port, url: app.url });
  else io.stdout.write(JSON.stringify({ url: app.url, port: app.port, instances: 1, pids: [process.pid] }) + '\n');
  log.info('listening', { url: app.url });
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) return resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
    process.once('disconnect', () => resolve());
  });
  await app.stop();
  return 0;
}

async function runPrimary(n: number, env: Record<string, string | undefined>, io: RunIo): Promise<number> {
  const log = createLogger('info', { role: 'cluster-primary', pid: process.pid });
  let stopping = false;
  let restarts = 0;
  const listening = new Map<number, string>();
  let announced = false;
  const fork = (): void => {
    const w = cluster.fork(env);
    w.on('message', (m: { type?: string; url?: string }) => {
      if (m.type !== 'listening' || !m.url) return;
      listening.set(w.process.pid ?? 0, m.url);
      if (!announced && listening.size === n) {
        announced = true;
        const url = m.url;
        io.stdout.write(JSON.stringify({ url, port: Number(new URL(url).port), instances: n, pids: [...listening.keys()] }) + '\n');
      }
    });
  };
  cluster.on('exit', (w, code, sig) => {
    listening.delete(w.process.pid ?? 0);
    if (stopping) return;
    log.error('instance exited, starting another', { workerPid: w.process.pid, code, signal: sig });
    // Bounded, so a crash loop (bad config, port taken) ends instead of spinning.
    if (++restarts <= n * 3) fork();
  });
  for (let i = 0; i < n; i += 1) fork();
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) return resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  stopping = true;
  const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
  await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
    const t = setTimeout(() => w.kill('SIGKILL'), 10_000);
    w.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    w.kill('SIGTERM');
  })));
  return 0;
}
