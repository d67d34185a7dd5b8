import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { start } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { runSupervisor, stopAll } from './scaling/supervisor.ts';
import { startWorkerLink } from './scaling/worker-link.ts';

/** The process IO the runner needs (matches the toolkit's CliIo without importing it). */
export interface RunIo {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  signal?: AbortSignal;
}

const USAGE = `usage: npm run app -- [--instances N | --min-instances N --max-instances M] [--port P] [--host H] [--static-dir DIR] [--asset-base-url URL]
Runs N stateless instances of the reference app on one port (node:cluster).
With --min-instances/--max-instances a supervisor adds and removes instances by
load (thresholds: AUTOSCALE_* variables, see reference-app/API.md "Auto-scaling").
Needs DATABASE_URL, REDIS_URL (and DATABASE_REPLICA_URL, UPSTREAM_URL) in the environment.
Prints {"url","port","instances","pids"} as one JSON line on stdout once every instance listens.
`;

/** Entry of `npm run app`: the cluster primary forks workers; a worker (or a single instance) serves. */
export async function runApp(io: RunIo): Promise<number> {
  const { values } = parseArgs({
    args: io.argv,
    options: {
      instances: { type: 'string' },
      'min-instances': { type: 'string' },
      'max-instances': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'static-dir': { type: 'string' },
      'asset-base-url': { type: 'string' },
      help: { type: 'boolean' },
      debug: { type: 'boolean' },
    },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const instances = Number(values.instances ?? '1');
  if (!Number.isInteger(instances) || instances < 1 || instances > 64) {
    io.stderr.write(`error USAGE: --instances must be an integer 1..64, got ${values.instances}\n`);
    return 2;
  }
  const scaling = scalingLimits(values['min-instances'], values['max-instances'], values.instances);
  if (typeof scaling === 'string') {
    io.stderr.write(`error USAGE: ${scaling}\n  fix: e.g. --min-instances 1 --max-instances 4 (and no --instances)\n`);
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
    io.stderr.write(
      `error CONFIG_INVALID: ${err.message}\n  fix: set the variables named above (see reference-app/server/config.ts)\n`,
    );
    return 2;
  }
  if (scaling && cluster.isPrimary) {
    const config = loadConfig(env);
    // Decisions are logged even when the instances log only warnings; readings only with LOG_LEVEL=debug.
    const log = createLogger(config.logLevel === 'debug' ? 'debug' : 'info', {
      role: 'autoscale-supervisor',
      pid: process.pid,
    });
    return runSupervisor({
      ...scaling,
      config: config.autoscale,
      env,
      stdout: io.stdout,
      log,
      ...(io.signal ? { signal: io.signal } : {}),
    });
  }
  if (instances > 1 && cluster.isPrimary) return runPrimary(instances, env, io);
  return runInstance(env, io);
}

/** The supervisor's limits from the flags; undefined without them, a message when they are wrong. */
function scalingLimits(
  min: string | undefined,
  max: string | undefined,
  instances: string | undefined,
): { min: number; max: number } | string | undefined {
  if (min === undefined && max === undefined) return undefined;
  if (instances !== undefined) return '--instances cannot be combined with --min-instances/--max-instances';
  const lo = Number(min ?? '1');
  const hi = Number(max ?? String(Math.max(lo, 4)));
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi < lo || hi > 64) {
    return `--min-instances ${min ?? '1'} --max-instances ${max ?? hi}: expected integers with 1 <= min <= max <= 64`;
  }
  return { min: lo, max: hi };
}

async function runInstance(env: Record<string, string | undefined>, io: RunIo): Promise<number> {
  const config = loadConfig(env);
  const log = createLogger(config.logLevel, { pid: process.pid });
  const app = await start(config, log);
  let drain = false;
  let stopLink = (): void => undefined;
  if (cluster.isWorker) process.send?.({ type: 'listening', port: app.port, url: app.url });
  else io.stdout.write(JSON.stringify({ url: app.url, port: app.port, instances: 1, pids: [process.pid] }) + '\n');
  log.info('listening', { url: app.url });
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) return resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
    process.once('disconnect', () => resolve());
    if (cluster.isWorker) {
      const onDrain = (): void => {
        drain = true;
        resolve();
      };
      stopLink = startWorkerLink({
        channel: process,
        stats: app.context.requestStats,
        status: app.context.scaling,
        sampleMs: config.autoscale.sampleMs,
        onDrain,
      });
    }
  });
  stopLink();
  if (drain) {
    log.info('draining: no new connections, finishing requests in flight', {
      timeoutMs: config.autoscale.drainTimeoutMs,
    });
    await app.drain(config.autoscale.drainTimeoutMs);
  } else await app.stop();
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
        io.stdout.write(
          JSON.stringify({ url, port: Number(new URL(url).port), instances: n, pids: [...listening.keys()] }) + '\n',
        );
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
  await stopAll(Object.values(cluster.workers ?? {}).filter((w) => w !== undefined));
  return 0;
}
