/**
 * The reference app's own commands (build, seed, upstream, app), which the rig
 * runs as child processes: the rig never imports the app's code, it only knows
 * these command lines.
 */
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ToolkitError } from '../../toolkit/errors.ts';
import type { AutoscaleLimits } from './options.ts';

/** The app's files and command lines (scripts run with the project's tsx). */
export const REFERENCE_APP = {
  clientSources: 'reference-app/client',
  clientDist: 'reference-app/client/dist',
  clientStats: 'reference-app/client/build-stats/stats.json',
  build: ['scripts/build.ts'],
  seed: (scale: string) => ['scripts/seed.ts', '--scale', scale, '--quiet'],
  upstream: (port: number) => ['scripts/upstream.ts', '--port', String(port)],
  app: (port: number, instances: number, autoscale?: AutoscaleLimits) =>
    autoscale
      ? [
          'scripts/app.ts',
          '--min-instances',
          String(autoscale.min),
          '--max-instances',
          String(autoscale.max),
          '--port',
          String(port),
        ]
      : ['scripts/app.ts', '--instances', String(instances), '--port', String(port)],
} as const;

/** The project's tsx, which runs the scripts. */
export function tsx(root: string): string {
  return path.join(root, 'node_modules', '.bin', 'tsx');
}

/** Where a step runs and how it is stopped. */
export interface StepContext {
  root: string;
  signal?: AbortSignal;
}

/** Runs one command to completion; its output is shown only when it fails. */
export function runStep(
  ctx: StepContext,
  what: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx(ctx.root), args, { cwd: ctx.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const onAbort = (): void => void child.kill('SIGTERM');
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', reject);
    child.on('exit', (code) => {
      ctx.signal?.removeEventListener('abort', onAbort);
      if (code === 0) resolve();
      else
        reject(
          new ToolkitError(
            'STACK_START_FAILED',
            `${what} failed (exit ${code}):\n${output.trim().split('\n').slice(-15).join('\n')}`,
            { fix: 'run the step alone to see more, e.g. `npx tsx ' + args.join(' ') + '`' },
          ),
        );
    });
  });
}
