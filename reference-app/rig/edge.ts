/**
 * The stack's optional front parts: pgbouncer between the app and each
 * primary, nginx in front of the app instances. Started after the databases,
 * recorded as attached processes in state.json (so `down`, crash cleanup and
 * the exit hooks stop them like the app), their URLs in `state.edge`.
 */
import { join } from 'node:path';
import { startNginx } from './nginx.ts';
import { startPgbouncer, type PoolTarget } from './pgbouncer.ts';
import { freePort } from '../../toolkit/process/ports.ts';
import type { EdgeState, ManagedState, StackState } from './state.ts';

export type { EdgeState } from './state.ts';

/** `nginx` option of startStack: where the built client is and how many app instances nginx balances. */
export interface NginxStackOptions {
  staticDir: string;
  /** App instances behind nginx; the stack picks their ports (`edge.appPorts`) and the caller starts one app per port. */
  instances: number;
}

/** `pgbouncer` option of startStack: true, or settings. */
export interface PgbouncerStackOptions {
  /** Set on each server connection (pgbouncer cannot forward the client's statement_timeout). */
  statementTimeoutMs?: number;
  poolSize?: number;
}

/** What startStack starts in front of the services. */
export interface EdgeOptions {
  nginx?: NginxStackOptions | undefined;
  pgbouncer?: boolean | PgbouncerStackOptions | undefined;
}

/** What startEdge needs from the stack. */
export interface EdgeContext {
  state: StackState;
  env: Record<string, string | undefined>;
  detached: boolean;
  log: (line: string) => void;
}

/** The databases pgbouncer pools: the primary and each extra shard primary (`shard1`…). */
export function poolTargets(state: StackState): PoolTarget[] {
  return [
    { name: 'primary', url: state.services.primary.url },
    ...(state.shards ?? []).map((s, i) => ({ name: `shard${i + 1}`, url: s.url })),
  ];
}

const managedOf = (p: { name: string; pid: number; command: string; logFile: string }): ManagedState => ({
  name: p.name,
  pid: p.pid,
  command: p.command,
  logFile: p.logFile,
});

/** Starts pgbouncer and/or nginx as asked; adds them to `state.managed` and their URLs to `state.edge`. */
export async function startEdge(ctx: EdgeContext, options: EdgeOptions): Promise<void> {
  const { state } = ctx;
  const edge: EdgeState = {};
  if (options.pgbouncer) {
    const settings = typeof options.pgbouncer === 'object' ? options.pgbouncer : {};
    const bouncer = await startPgbouncer({
      targets: poolTargets(state),
      dir: join(state.dir, 'pgbouncer'),
      env: ctx.env,
      runAs: state.runAs,
      detached: ctx.detached,
      ...(settings.statementTimeoutMs ? { statementTimeoutMs: settings.statementTimeoutMs } : {}),
      ...(settings.poolSize ? { poolSize: settings.poolSize } : {}),
    });
    state.managed.push(managedOf(bouncer));
    const shardsPooled = (state.shards ?? []).map((_, i) => bouncer.urls[`shard${i + 1}`] ?? '');
    Object.assign(edge, {
      primaryPooled: bouncer.urls.primary,
      pooled: bouncer.urls,
      pgbouncerAdmin: bouncer.adminUrl,
    });
    if (shardsPooled.length > 0) edge.shardsPooled = shardsPooled;
    ctx.log(`pgbouncer (transaction pooling) up on ${bouncer.urls.primary}`);
  }
  if (options.nginx) {
    const appPorts: number[] = [];
    for (let i = 0; i < options.nginx.instances; i += 1) appPorts.push(await freePort({ avoid: appPorts }));
    const nginx = await startNginx({
      upstreamPorts: appPorts,
      staticDir: options.nginx.staticDir,
      dir: join(state.dir, 'nginx'),
      env: ctx.env,
      detached: ctx.detached,
    });
    state.managed.push(managedOf(nginx));
    Object.assign(edge, { web: nginx.url, appPorts });
    ctx.log(`nginx up on ${nginx.url} (app instances go on ports ${appPorts.join(', ')})`);
  }
  state.edge = edge;
}
