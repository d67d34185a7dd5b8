/** What a run of the reference app measures by default: its scenarios, budgets, scenario knobs, pages and login. */
import type { Profile, ProfileDefaults } from '../../toolkit/target/index.ts';
import type { RigOptions, SeedScale } from './options.ts';

/** Scenario profiles: what `npm run loadtest` runs by default and with --ci. */
export const PROFILES: Record<Profile, { scenarios: string[]; budget: string; env: Record<string, string> }> = {
  default: {
    scenarios: ['smoke', 'load', 'cache', 'replica'],
    budget: 'budgets/default.json',
    env: {
      DURATION: '60s',
      VUS: '10',
      RAMP_UP: '15s',
      RAMP_DOWN: '10s',
      COLD_DURATION: '15s',
      WARM_DURATION: '20s',
    },
  },
  ci: {
    scenarios: ['smoke', 'load', 'cache'],
    budget: 'budgets/ci.json',
    env: {
      DURATION: '20s',
      VUS: '5',
      RAMP_UP: '5s',
      RAMP_DOWN: '5s',
      COLD_DURATION: '8s',
      WARM_DURATION: '10s',
    },
  },
};

/** How many businesses each seed scale creates (the scenarios spread VUs over them). */
export const SEEDED_BUSINESSES: Record<SeedScale, number> = { small: 20, medium: 40, large: 100 };

/** The rig's defaults for a profile: the dashboard, opened logged in through the app's login form. */
export function rigDefaults(profile: Profile, options: RigOptions): ProfileDefaults {
  const p = PROFILES[profile];
  return {
    scenarios: [...p.scenarios],
    budget: p.budget,
    env: { ...p.env, BUSINESSES: String(SEEDED_BUSINESSES[options.scale]) },
    pages: [{ name: 'dashboard', path: '/dashboard', auth: true }],
    auth: { ...options.credentials, loginPath: '/login' },
  };
}
