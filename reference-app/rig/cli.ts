/** `npm run stack -- up|down|status`: the private stack from the command line. */
import { resolve } from 'node:path';
import { parseFlags } from '../../toolkit/cli/args.ts';
import { logger, type CliIo } from '../../toolkit/cli/io.ts';
import { EXIT, usageError } from '../../toolkit/errors.ts';
import { externalUrls } from './config.ts';
import { runningState, stackStatus, type StackStatus } from './control.ts';
import { parseShardCount } from './shards.ts';
import { startStack, stopStack } from './stack.ts';
import { stackDir, type StackState, type StackUrls } from './state.ts';

const HELP = `usage: npm run stack -- <up|down|status> [options]

  up        start PostgreSQL primary + streaming replica + Redis as daemons under .stack/<name>/,
            print their URLs and return (--foreground: keep running until Ctrl-C, then stop)
  down      stop every process of the stack and remove its folder
  status    each service's health and URL, and the replication lag

options:
  --name N      stack name (default "default")
  --shards N    up: N shard primaries (default 1; shards 1..N-1 are extra primaries, no replicas)
  --foreground  up: stay attached, stop everything on Ctrl-C / SIGTERM
  --pgbouncer   up: pgbouncer (transaction pooling) in front of each primary: DATABASE_POOLED_URL
  --nginx       up: nginx in front of --instances app instances (ports in APP_PORTS, one app each),
                serving --static-dir (default reference-app/client/dist): WEB_URL
  --instances N up --nginx: app instances behind nginx (default 2)
  --json        print only JSON on stdout
  --quiet       no progress output
  --help        this text

With DATABASE_URL, DATABASE_REPLICA_URL and REDIS_URL set, \`up\` starts nothing and prints those.`;

const FLAGS = {
  name: { type: 'string', default: 'default' },
  foreground: { type: 'boolean', default: false },
  shards: { type: 'string', default: '1' },
  nginx: { type: 'boolean', default: false },
  pgbouncer: { type: 'boolean', default: false },
  instances: { type: 'string', default: '2' },
  'static-dir': { type: 'string', default: 'reference-app/client/dist' },
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  debug: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

function printUrls(io: CliIo, urls: StackUrls, json: boolean, appPorts?: number[]): void {
  if (json) io.stdout.write(JSON.stringify(appPorts ? { ...urls, appPorts } : urls) + '\n');
  else io.stdout.write(`DATABASE_URL=${urls.primary}\nDATABASE_REPLICA_URL=${urls.replica}\nREDIS_URL=${urls.redis}\n`);
  if (!json && urls.shards?.length) io.stdout.write(`DATABASE_SHARD_URLS=${urls.shards.join(',')}\n`);
  if (!json && urls.primaryPooled) io.stdout.write(`DATABASE_POOLED_URL=${urls.primaryPooled}\n`);
  if (!json && urls.web) io.stdout.write(`WEB_URL=${urls.web}\nAPP_PORTS=${(appPorts ?? []).join(',')}\n`);
}

/** Renders `status` as a table, with the replication lag on the last line. */
export function formatStatus(status: StackStatus): string {
  const rows = status.services.map((s) => {
    const state = s.healthy ? 'healthy' : s.running ? 'unhealthy' : 'stopped';
    return `${s.service.padEnd(8)} ${state.padEnd(10)} ${String(s.pid ?? '-').padEnd(8)} ${s.url}`;
  });
  const lag = status.replication;
  const lagLine = lag
    ? `replication: ${lag.state}, lag ${lag.bytes} bytes, ${lag.seconds.toFixed(1)} s`
    : 'replication: not streaming';
  return (
    [
      `stack ${status.name} (${status.dir})`,
      `${'service'.padEnd(8)} ${'state'.padEnd(10)} ${'pid'.padEnd(8)} url`,
      ...rows,
      lagLine,
    ].join('\n') + '\n'
  );
}

interface UpFlags {
  foreground: boolean;
  json: boolean;
  quiet: boolean;
  shards: string;
  nginx: boolean;
  pgbouncer: boolean;
  instances: string;
  'static-dir': string;
}

/** startStack's nginx option from --nginx, --instances and --static-dir. */
function nginxOption(io: CliIo, flags: UpFlags): { staticDir: string; instances: number } | undefined {
  if (!flags.nginx) return undefined;
  const instances = Number(flags.instances);
  if (!Number.isInteger(instances) || instances < 1 || instances > 16)
    throw usageError(`--instances ${flags.instances}: expected a whole number from 1 to 16`);
  return { staticDir: resolve(io.cwd, flags['static-dir']), instances };
}

/** The URLs of a stack that is already running, as `up` prints them. */
function runningUrls(running: StackState): { urls: StackUrls; appPorts: number[] | undefined } {
  const shards = running.shards?.map((s) => s.url);
  const { primaryPooled, web, appPorts } = running.edge ?? {};
  return {
    urls: {
      primary: running.services.primary.url,
      replica: running.services.replica.url,
      redis: running.services.redis.url,
      ...(shards?.length ? { shards } : {}),
      ...(primaryPooled ? { primaryPooled } : {}),
      ...(web ? { web } : {}),
    },
    appPorts,
  };
}

/** Waits for Ctrl-C / SIGTERM (the command's abort signal). */
async function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal || signal.aborted) return;
  // Nothing else keeps the event loop alive while we wait.
  const keepAlive = setInterval(() => undefined, 60_000);
  await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  clearInterval(keepAlive);
}

async function up(io: CliIo, name: string, flags: UpFlags): Promise<number> {
  const log = logger(io, flags.quiet);
  const running = await runningState(stackDir({ name, cwd: io.cwd }));
  if (running && !externalUrls(io.env)) {
    log(`stack "${name}" is already running`);
    const { urls, appPorts } = runningUrls(running);
    printUrls(io, urls, flags.json, appPorts);
    return EXIT.ok;
  }
  const shards = parseShardCount(flags.shards, '--shards');
  const handle = await startStack({
    name,
    cwd: io.cwd,
    env: io.env,
    log,
    detached: !flags.foreground,
    shards,
    nginx: nginxOption(io, flags),
    pgbouncer: flags.pgbouncer,
  });
  if (io.signal?.aborted) {
    // Ctrl-C while starting: leave nothing behind.
    await handle.stop();
    log(`interrupted: stack "${name}" stopped`);
    return EXIT.error;
  }
  printUrls(io, handle.urls, flags.json, handle.edge?.appPorts);
  if (!flags.foreground || handle.external) return EXIT.ok;
  log('running in the foreground; Ctrl-C stops the stack');
  await untilAborted(io.signal);
  await handle.stop();
  log(`stack "${name}" stopped`);
  return EXIT.ok;
}

/** The `stack` command. */
export async function runStackCommand(io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(io.argv, FLAGS, HELP);
  if (values.help) {
    io.stdout.write(HELP + '\n');
    return EXIT.ok;
  }
  const [action, ...rest] = positionals;
  if (rest.length > 0) throw usageError(`unexpected argument "${rest[0]}"`);
  const name = values.name;
  const log = logger(io, values.quiet);
  switch (action) {
    case 'up':
      return up(io, name, values);
    case 'down': {
      const stopped = await stopStack(name, { cwd: io.cwd, log });
      log(stopped ? `stack "${name}" stopped` : `stack "${name}" was not running`);
      return EXIT.ok;
    }
    case 'status': {
      const state = await runningState(stackDir({ name, cwd: io.cwd }));
      if (!state) {
        log(`stack "${name}" is not running (start it with \`npm run stack -- up\`)`);
        return EXIT.error;
      }
      const status = await stackStatus(state);
      io.stdout.write(values.json ? JSON.stringify(status) + '\n' : formatStatus(status));
      return status.services.every((s) => s.healthy) ? EXIT.ok : EXIT.error;
    }
    default:
      throw usageError(
        action ? `unknown action "${action}"` : 'missing action',
        `use one of: up, down, status\n${HELP}`,
      );
  }
}
