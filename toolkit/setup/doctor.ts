/**
 * `npm run doctor`: checks everything the toolkit relies on (PostgreSQL
 * binaries, a primary and a streaming replica, Redis, Chromium, k6) and says
 * how to fix what is missing. Exit 0 when every required check passes, else 2.
 */
import { parseFlags } from '../cli/args.ts';
import { logger, type CliIo } from '../cli/io.ts';
import { EXIT, ToolkitError, usageError } from '../errors.ts';
import { findPostgresBinaries, findRedisServer } from '../../reference-app/rig/binaries.ts';
import { which } from '../process/which.ts';
import { externalUrls } from '../../reference-app/rig/config.ts';
import { runningState } from '../../reference-app/rig/control.ts';
import { queryOnce, redisPing, replicaStreaming, replicationLag } from '../../reference-app/rig/health.ts';
import { runTool } from '../process/processes.ts';
import { startStack } from '../../reference-app/rig/stack.ts';
import { stackDir, type StackUrls } from '../../reference-app/rig/state.ts';
import { ensureVuSocketAddon } from '../runner/native/build.ts';
import { findChrome } from './packages.ts';

/** One line of the doctor's table. */
export interface Check {
  name: string;
  required: boolean;
  ok: boolean;
  detail: string;
  fix?: string;
}

const HELP = `usage: npm run doctor -- [--name N] [--json]

Checks the PostgreSQL server binaries, a primary and a streaming replica, Redis, Chromium and k6.
The services checked are DATABASE_URL / DATABASE_REPLICA_URL / REDIS_URL when set, else the running
stack --name (default "default"), else a throwaway stack started and stopped for the check.`;

const FLAGS = {
  name: { type: 'string', default: 'default' },
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  debug: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const fixOf = (err: unknown): string | undefined => (err instanceof ToolkitError ? err.fix : undefined);

async function binaryChecks(env: Record<string, string | undefined>): Promise<Check[]> {
  const checks: Check[] = [];
  const probe = async (name: string, find: () => string, versionArgs?: string[]): Promise<void> => {
    try {
      const path = find();
      const version = versionArgs ? (await runTool(path, versionArgs, { timeoutMs: 5000 })).stdout.trim() : '';
      checks.push({ name, required: true, ok: true, detail: version ? `${version} (${path})` : path });
    } catch (err) {
      checks.push({
        name,
        required: true,
        ok: false,
        detail: message(err),
        ...(fixOf(err) ? { fix: fixOf(err) } : {}),
      });
    }
  };
  await probe('postgresql binaries', () => findPostgresBinaries({ env }).postgres, ['--version']);
  await probe('redis-server', () => findRedisServer({ env }), ['--version']);
  await probe('chromium', () => findChrome(env));
  const k6 = env.K6_BIN || which('k6', env);
  checks.push({
    name: 'k6',
    required: false,
    ok: true,
    detail: k6 ?? 'not found: the built-in runner will be used (optional)',
  });
  const addon = await ensureVuSocketAddon(env);
  checks.push(
    addon.path !== null
      ? {
          name: 'vu sockets',
          required: false,
          ok: true,
          detail: `built-in runner VUs use their own sockets (${addon.path})`,
        }
      : {
          name: 'vu sockets',
          required: false,
          ok: false,
          detail: `${addon.reason}: the built-in runner falls back to its shared pool (slower)`,
          fix: 'apt-get install gcc (or set CC and NODE_INCLUDE_DIR)',
        },
  );
  return checks;
}

/** Checks a primary, a replica streaming from it, and Redis at the given URLs. */
export async function serviceChecks(urls: StackUrls, source: string): Promise<Check[]> {
  const check = async (name: string, run: () => Promise<string>, fix: string): Promise<Check> => {
    try {
      return { name, required: true, ok: true, detail: await run() };
    } catch (err) {
      return { name, required: true, ok: false, detail: message(err), fix };
    }
  };
  const fix = `check the servers (${source}); \`npm run stack -- status\` shows a private stack's health`;
  return Promise.all([
    check(
      'primary',
      async () => {
        const [row] = await queryOnce<{ v: string; ext: boolean }>(
          urls.primary,
          "SELECT current_setting('server_version') AS v, EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements') AS ext",
        );
        return `PostgreSQL ${row?.v} at ${urls.primary}${row?.ext ? '' : ' (pg_stat_statements not installed: slow-query data will be missing)'}`;
      },
      fix,
    ),
    check(
      'replica',
      async () => {
        if (!(await replicaStreaming(urls.primary, urls.replica)))
          throw new Error(`${urls.replica} is not a standby streaming from the primary`);
        const lag = await replicationLag(urls.primary, urls.replica);
        return `streaming at ${urls.replica}, lag ${lag?.bytes ?? 0} bytes / ${(lag?.seconds ?? 0).toFixed(1)} s`;
      },
      fix,
    ),
    check(
      'redis',
      async () => {
        if (!(await redisPing(urls.redis))) throw new Error(`no PONG from ${urls.redis}`);
        return `PONG from ${urls.redis}`;
      },
      fix,
    ),
  ]);
}

async function stackChecks(io: CliIo, name: string, binariesOk: boolean, log: (l: string) => void): Promise<Check[]> {
  const external = externalUrls(io.env);
  if (external) return serviceChecks(external, 'DATABASE_URL / DATABASE_REPLICA_URL / REDIS_URL');
  const running = await runningState(stackDir({ name, cwd: io.cwd }));
  if (running) {
    const { primary, replica, redis } = running.services;
    return serviceChecks({ primary: primary.url, replica: replica.url, redis: redis.url }, `stack "${name}"`);
  }
  if (!binariesOk) {
    return [
      {
        name: 'stack',
        required: true,
        ok: false,
        detail: 'not checked: server binaries missing',
        fix: 'install them (see above), then run doctor again',
      },
    ];
  }
  log('no running stack: starting a throwaway one for the check…');
  try {
    const handle = await startStack({ name: `doctor-${process.pid}`, cwd: io.cwd, env: io.env });
    try {
      return await serviceChecks(handle.urls, 'a throwaway private stack');
    } finally {
      await handle.stop();
    }
  } catch (err) {
    return [
      {
        name: 'stack',
        required: true,
        ok: false,
        detail: `could not start a private stack: ${message(err)}`,
        fix: fixOf(err) ?? 'run `npm run stack -- up --debug` to see why',
      },
    ];
  }
}

/** Renders the checks as a table with a fix line under each failure. */
export function formatChecks(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) => {
    const status = c.ok ? (c.required ? 'ok' : 'info') : c.required ? 'FAIL' : 'warn';
    const row = `${c.name.padEnd(width)}  ${status.padEnd(4)}  ${c.detail}`;
    return !c.ok && c.fix ? `${row}\n${' '.repeat(width + 8)}fix: ${c.fix}` : row;
  });
  return lines.join('\n') + '\n';
}

/** The doctor command. */
export async function runDoctor(io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(io.argv, FLAGS, HELP);
  if (values.help) {
    io.stdout.write(HELP + '\n');
    return EXIT.ok;
  }
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, HELP);
  const log = logger(io, values.quiet || values.json);
  const binaries = await binaryChecks(io.env);
  const binariesOk = binaries.filter((c) => c.required && c.name !== 'chromium').every((c) => c.ok);
  const checks = [...binaries, ...(await stackChecks(io, values.name, binariesOk, log))];
  const ok = checks.every((c) => c.ok || !c.required);
  io.stdout.write(values.json ? JSON.stringify({ ok, checks }) + '\n' : formatChecks(checks));
  if (!values.json) log(ok ? 'everything required is in place' : 'some required checks failed (see the fixes above)');
  return ok ? EXIT.ok : EXIT.error;
}
