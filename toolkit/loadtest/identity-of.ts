/** The identity a run records (and its baseline must share), from its resolved configuration. */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pickEngine } from '../engines.ts';
import { findK6 } from '../k6/index.ts';
import { scenarioOptionsHash, targetIdentityName, type RunIdentity } from '../results/index.ts';
import { scenarioPath } from './measure.ts';
import { toolVersion } from './run-meta.ts';
import type { LoadtestConfig } from './types.ts';

/** `k6 version`'s version (v1.3.0), or null when it cannot be read. */
function k6Version(config: LoadtestConfig): string | null {
  const bin = findK6({ processEnv: config.processEnv });
  if (!bin) return null;
  try {
    const out = execFileSync(bin, ['version'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).toString();
    return /\bv\d+\.\d+\.\d+\S*/.exec(out)?.[0] ?? null;
  } catch {
    return null;
  }
}

/** A scenario's name and hash; an imported run's "scenario" is its sample files, hashed by their names. */
function scenariosOf(config: LoadtestConfig): RunIdentity['scenarios'] {
  if (config.importNdjson.length > 0)
    return [{ name: 'imported', optionsHash: scenarioOptionsHash(config.importNdjson.join('\n'), {}) }];
  return config.scenarios.map((name) => {
    const file = scenarioPath(config.root, name);
    return {
      name: path.basename(name).replace(/\.(ts|js)$/, ''),
      optionsHash: scenarioOptionsHash(readFileSync(file, 'utf8'), config.env),
    };
  });
}

/** The run's identity; `targetLabel` is the target's (a provider's label, or the URL). */
export function runIdentityOf(config: LoadtestConfig, targetLabel: string, profile: string): RunIdentity {
  const imported = config.importNdjson.length > 0;
  const engine = imported ? 'k6' : pickEngine({ engine: config.engine, processEnv: config.processEnv });
  return {
    target: targetIdentityName(targetLabel),
    profile,
    scenarios: scenariosOf(config),
    budget: path.relative(config.root, config.budgetPath) || null,
    engine,
    engineVersion: imported ? null : engine === 'k6' ? k6Version(config) : toolVersion(config.root),
    httpTransport: engine === 'builtin' ? config.httpTransport : null,
    lighthousePresets: config.lighthouse.enabled && !imported ? [...config.lighthouse.presets] : [],
  };
}
