/** The Redis side of the stack: a daemonized redis-server without persistence. */
import { ToolkitError } from '../../toolkit/errors.ts';
import { redisPing, waitUntil } from './health.ts';
import { livePidFromFile, readPidFile, runTool, signal, tail, waitForExit } from '../../toolkit/process/processes.ts';

/** The connection URL of a stack Redis on a port. */
export const redisUrl = (port: number): string => `redis://127.0.0.1:${port}`;

/** Where a stack's Redis keeps its files. */
export interface RedisFiles {
  dir: string;
  pidFile: string;
  logFile: string;
}

/** Starts redis-server as a daemon on 127.0.0.1:port and waits until it answers PING; returns its pid. */
export async function startRedis(bin: string, port: number, files: RedisFiles): Promise<number> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--protected-mode',
    'yes',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'yes',
    '--pidfile',
    files.pidFile,
    '--logfile',
    files.logFile,
    '--dir',
    files.dir,
  ];
  const result = await runTool(bin, args, { cwd: files.dir });
  const fail = async (why: string): Promise<ToolkitError> =>
    new ToolkitError(
      'STACK_START_FAILED',
      `redis-server on port ${port} ${why}:\n${result.stderr}${await tail(files.logFile)}`,
      {
        fix: 'see the log above; `npm run stack -- down` removes a half-started stack',
      },
    );
  if (result.code !== 0) throw await fail(`exited with ${result.code}`);
  try {
    await waitUntil(
      `redis-server on port ${port} to answer PING`,
      10_000,
      async () => (await redisPing(redisUrl(port))) && (await readPidFile(files.pidFile)) !== undefined,
    );
  } catch {
    throw await fail('did not answer PING');
  }
  const pid = await readPidFile(files.pidFile);
  if (pid === undefined) throw await fail('wrote no pid file');
  return pid;
}

/** Stops redis-server (SIGTERM: with no persistence it exits without saving). */
export async function stopRedis(pidFile: string, timeoutMs = 10_000): Promise<void> {
  const pid = await livePidFromFile(pidFile, 'redis');
  if (pid === undefined) return;
  signal(pid, 'SIGTERM');
  if (!(await waitForExit(pid, timeoutMs))) signal(pid, 'SIGKILL');
}
