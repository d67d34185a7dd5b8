/**
 * A run's identity: what decides whether two runs may be compared (target,
 * profile, scenarios and their options, budget file, engine, Lighthouse
 * presets), and whether the run completed. Pure functions of recorded values.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** One scenario as the identity records it: its name and a hash of its script and the options it ran with. */
export const scenarioIdentitySchema = z.strictObject({
  name: z.string(),
  optionsHash: z.string().meta({
    description: "sha-256 (first 16 hex digits) of the scenario's script text and the scenario env it ran with",
  }),
});

/** What two runs must share to be compared (`--baseline`). */
export const runIdentitySchema = z
  .strictObject({
    target: z.string().meta({ description: "'reference app' (a provider's name), or the origin of the URL given" }),
    profile: z.string().meta({ description: '`default`, `ci`, `import`, or a custom profile name' }),
    scenarios: z.array(scenarioIdentitySchema),
    budget: z.string().nullable().meta({ description: 'budget file, relative to the project root' }),
    engine: z.enum(['builtin', 'k6']),
    engineVersion: z.string().nullable(),
    httpTransport: z
      .string()
      .nullable()
      .meta({ description: "the built-in engine's HTTP transport; null for real k6" }),
    lighthousePresets: z.array(z.string()).meta({ description: 'Lighthouse presets run (empty when none ran)' }),
  })
  .meta({ id: 'runIdentity' });

/** Whether the run measured everything it set out to, or was stopped by a signal. */
export const runStatusSchema = z.enum(['complete', 'interrupted']);

/** What an interrupted run was doing when it stopped. */
export const interruptionSchema = z
  .strictObject({
    signal: z.string().meta({ description: 'SIGINT or SIGTERM' }),
    scenario: z.string().nullable().meta({ description: 'the scenario cut short, null when none was running' }),
    stage: z.string().meta({ description: 'what ran when the signal came: scenarios, lighthouse, bundle, start' }),
  })
  .meta({ id: 'interruption' });

export type RunIdentity = z.infer<typeof runIdentitySchema>;
export type ScenarioIdentity = z.infer<typeof scenarioIdentitySchema>;
export type RunStatus = z.infer<typeof runStatusSchema>;
export type Interruption = z.infer<typeof interruptionSchema>;

/** The hash recorded for a scenario: its script text and the env it ran with (keys sorted). */
export function scenarioOptionsHash(scriptText: string, env: Record<string, string>): string {
  const sortedEnv = Object.fromEntries(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256')
    .update(scriptText)
    .update('\0')
    .update(JSON.stringify(sortedEnv))
    .digest('hex')
    .slice(0, 16);
}

/** How a target is named in an identity: a provider's label as is, a URL by its origin. */
export function targetIdentityName(label: string): string {
  try {
    const url = new URL(label);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : label;
  } catch {
    return label;
  }
}

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

const shownScenarios = (s: ScenarioIdentity[]): string => s.map((x) => `${x.name}@${x.optionsHash}`).join(', ') || '-';

/**
 * What differs between a run and a candidate baseline, one line per field
 * (`profile: ci vs default`); empty when they are comparable. A baseline without
 * an identity (older results) is never comparable.
 */
export function identityDifferences(run: RunIdentity, baseline: RunIdentity | undefined): string[] {
  if (!baseline) return ['the baseline records no run identity (made by an older version)'];
  const out: string[] = [];
  const field = (name: string, a: string | null, b: string | null): void => {
    if (a !== b) out.push(`${name}: ${a ?? '-'} vs ${b ?? '-'}`);
  };
  field('target', run.target, baseline.target);
  field('profile', run.profile, baseline.profile);
  field('scenarios', shownScenarios(run.scenarios), shownScenarios(baseline.scenarios));
  field('budget', run.budget, baseline.budget);
  field('engine', run.engine, baseline.engine);
  field('engine version', run.engineVersion, baseline.engineVersion);
  field('HTTP transport', run.httpTransport, baseline.httpTransport);
  if (!sameList(run.lighthousePresets, baseline.lighthousePresets))
    out.push(
      `Lighthouse presets: ${run.lighthousePresets.join(', ') || '-'} vs ${baseline.lighthousePresets.join(', ') || '-'}`,
    );
  return out;
}

/** True when the baseline may be compared with the run: same identity, and the baseline completed. */
export function isComparableBaseline(
  run: RunIdentity,
  baseline: { identity?: RunIdentity | undefined; status?: RunStatus | undefined },
): boolean {
  return (baseline.status ?? 'complete') === 'complete' && identityDifferences(run, baseline.identity).length === 0;
}
