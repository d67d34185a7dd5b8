/** A run's identity and how it is recorded: its id, the tool's version and commit, the configuration it ran with. */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { RunOutcome } from '../k6-core/index.ts';
import type { RunMeta } from '../results/index.ts';
import type { TargetIdentity } from '../target/index.ts';
import type { LoadtestConfig } from './types.ts';

/** A path as people see it: relative inside the project, absolute outside it. */
export function shownPath(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

/** The checkout's commit, or null outside git. */
export function gitCommit(root: string): string | null {
  try {
    return (
      execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim() || null
    );
  } catch {
    return null;
  }
}

/** The project's package.json version. */
export function toolVersion(root: string): string {
  try {
    return (
      (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0'
    );
  } catch {
    return '0.0.0';
  }
}

/** The configuration as recorded in results.json: no credentials, no process environment. */
export function recordedConfig(
  c: LoadtestConfig,
  identity: TargetIdentity,
  login: string | undefined,
): Record<string, unknown> {
  const rel = (p: string): string => path.relative(c.root, p) || '.';
  return {
    target: identity.label,
    scenarios: c.scenarios,
    budget: rel(c.budgetPath),
    baseline: c.baselinePath ?? null,
    engine: c.engine,
    ...identity.settings,
    env: c.env,
    ci: c.ci,
    lighthouse: c.lighthouse,
    bundle: c.bundle,
    browserUnderLoad: c.browserUnderLoad,
    ...(login ? { login } : {}),
  };
}

/** Which engine measured the load, with its version (real k6) or transport (built-in), as results record it. */
export function engineMeta(load: {
  scenarios: Array<{ outcome: RunOutcome }>;
}): Pick<RunMeta, 'engine' | 'engineVersion' | 'httpTransport'> {
  const o = load.scenarios[0]?.outcome;
  return {
    engine: o?.engine ?? 'builtin',
    ...(o?.engineVersion ? { engineVersion: o.engineVersion } : {}),
    ...(o?.httpTransport ? { httpTransport: o.httpTransport } : {}),
  };
}
