import { parseArgs } from 'node:util';
import { startUpstream } from './stub-server.ts';

/**
 * Entry of the stub upstream process: `--port`, `--latency-ms`, `--failure-rate`
 * (or UPSTREAM_PORT, UPSTREAM_LATENCY_MS, UPSTREAM_FAILURE_RATE). Prints its URL
 * as one JSON line on stdout once listening.
 */
export async function runUpstream(
  argv: string[],
  env: Record<string, string | undefined>,
  out: { write(s: string): unknown },
  signal?: AbortSignal,
): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'latency-ms': { type: 'string' },
      'failure-rate': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    out.write('usage: upstream [--port N] [--latency-ms N] [--failure-rate 0..1]\n');
    return 0;
  }
  const num = (v: string | undefined, fallback: number): number => {
    const n = Number(v);
    return v === undefined || Number.isNaN(n) ? fallback : n;
  };
  const handle = await startUpstream({
    port: num(values.port ?? env['UPSTREAM_PORT'], 0),
    latencyMs: num(values['latency-ms'] ?? env['UPSTREAM_LATENCY_MS'], 0),
    failureRate: num(values['failure-rate'] ?? env['UPSTREAM_FAILURE_RATE'], 0),
  });
  out.write(JSON.stringify({ url: handle.url, port: handle.port }) + '\n');
  await new Promise<void>((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await handle.stop();
  return 0;
}
