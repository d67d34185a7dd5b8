/**
 * The rig's part of `npm run doctor`: the PostgreSQL server binaries and
 * redis-server, then a primary, a replica streaming from it and Redis: those of
 * DATABASE_URL / DATABASE_REPLICA_URL / REDIS_URL when set, else of the running
 * stack --name, else of a throwaway stack started and stopped for the check.
 */
import type { CliIo } from '../../toolkit/cli/io.ts';
import { ToolkitError } from '../../toolkit/errors.ts';
import { runTool } from '../../toolkit/process/processes.ts';
import { probeCheck, type Check, type DoctorSection } from '../../toolkit/setup/index.ts';
import { findPostgresBinaries, findRedisServer } from './binaries.ts';
import { findNginx } from './nginx.ts';
import { findPgbouncer } from './pgbouncer.ts';
import { externalUrls } from './config.ts';
import { runningState } from './control.ts';
import { queryOnce, redisPing, replicaStreaming, replicationLag } from './health.ts';
import { startStack } from './stack.ts';
import { sweepDeadStacks } from './sweep.ts';
import { stackDir, type StackUrls } from './state.ts';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const fixOf = (err: unknown): string | undefined => (err instanceof ToolkitError ? err.fix : undefined);

/** nginx prints its version on stderr. */
const nginxVersion = async (path: string): Promise<string> =>
  (await runTool(path, ['-v'], { timeoutMs: 5000 })).stderr.trim();

async function binaryChecks(env: Record<string, string | undefined>): Promise<Check[]> {
  const version = async (path: string): Promise<string> =>
    (await runTool(path, ['--version'], { timeoutMs: 5000 })).stdout.trim();
  return [
    await probeCheck('postgresql binaries', () => findPostgresBinaries({ env }).postgres, version),
    await probeCheck('redis-server', () => findRedisServer({ env }), version),
    // Optional: only the rig's --nginx / --pgbouncer runs and the test suite start them.
    { ...(await probeCheck('nginx', () => findNginx({ env }), nginxVersion)), required: false },
    {
      ...(await probeCheck(
        'pgbouncer',
        () => findPgbouncer({ env }),
        async (p) => (await version(p)).split('\n')[0] ?? '',
      )),
      required: false,
    },
  ];
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
        const lag = await replicationLag(urls.primary);
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

/** A throwaway private stack for the check, stopped again. */
async function throwawayStackChecks(io: CliIo): Promise<Check[]> {
  try {
    const handle = await startStack({ name: `doctor-${process.pid}`, cwd: io.cwd, env: io.env });
    try {
      return await serviceChecks(handle.urls, 'a throwaway private stack');
    } finally {
      await handle.stop();
    }
  } catch (err) {
    const detail = `could not start a private stack: ${message(err)}`;
    const fix = fixOf(err) ?? 'run `npm run stack -- up --debug` to see why';
    return [{ name: 'stack', required: true, ok: false, detail, fix }];
  }
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
    const fix = 'install them (see above), then run doctor again';
    return [{ name: 'stack', required: true, ok: false, detail: 'not checked: server binaries missing', fix }];
  }
  log('no running stack: starting a throwaway one for the check…');
  return throwawayStackChecks(io);
}

/** The rig's checks, plugged into the toolkit's doctor by scripts/doctor.ts. */
export const rigDoctor: DoctorSection = {
  flags: { name: { type: 'string', default: 'default' } },
  help: `Reference rig: the PostgreSQL server binaries, redis-server, nginx and pgbouncer (optional: for --nginx,
--pgbouncer and the tests), a primary and a streaming replica, and Redis.
The services checked are DATABASE_URL / DATABASE_REPLICA_URL / REDIS_URL when set, else the running
stack --name N (default "default"), else a throwaway stack started and stopped for the check.`,
  async checks(io, flags, log) {
    await sweepDeadStacks(io.cwd, (line) => io.stderr.write(line + '\n'));
    const binaries = await binaryChecks(io.env);
    const name = typeof flags.name === 'string' ? flags.name : 'default';
    return [
      ...binaries,
      ...(await stackChecks(
        io,
        name,
        binaries.every((c) => c.ok),
        log,
      )),
    ];
  },
};
