/**
 * What `loadtest --target URL` brings when nothing else is configured: the generic scenarios (a smoke pass,
 * then a short constant-arrival-rate load over the pages), the generic budget, and the pages from the config
 * file or the origin's `/`. They ship with the toolkit, so they are found beside this module.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Profile, ProfileDefaults, TargetPage } from '../../target/index.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The perfkit package's own folder (the repo, or node_modules/perfkit when installed). */
export function packageRoot(from = HERE): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'perfkit')
      return dir;
    if (path.dirname(dir) === dir) return path.resolve(HERE, '../../..');
  }
}

/** The generic scenario files (k6 scripts, run by either engine). */
export const GENERIC_SCENARIOS = ['smoke', 'load'].map((name) =>
  path.resolve(HERE, `../../loadtest/generic/${name}.js`),
);

/** The budget a --target run is judged by unless given another. */
export const GENERIC_BUDGET = path.join(packageRoot(), 'budgets', 'generic.json');

/** Load per profile: requests per second and how long (the CI profile is a quick gate). */
const LOAD: Record<Profile, { RATE: string; DURATION: string }> = {
  default: { RATE: '20', DURATION: '60s' },
  ci: { RATE: '10', DURATION: '20s' },
};

/** The generic defaults for a profile over the given pages. */
export function genericDefaults(profile: Profile, pages: TargetPage[]): ProfileDefaults {
  return {
    scenarios: GENERIC_SCENARIOS,
    budget: GENERIC_BUDGET,
    env: { PAGES: pages.map((p) => p.path).join(','), ...LOAD[profile] },
    pages,
  };
}
