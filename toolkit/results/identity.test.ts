import { describe, expect, it } from 'vitest';
import { generateResults } from './fixtures/generate.ts';
import { validateResults } from './io.ts';
import {
  identityDifferences,
  isComparableBaseline,
  scenarioOptionsHash,
  targetIdentityName,
  type RunIdentity,
} from './identity.ts';

const identity: RunIdentity = {
  target: 'reference app',
  profile: 'ci',
  scenarios: [{ name: 'smoke', optionsHash: scenarioOptionsHash('export default () => {}', { A: '1' }) }],
  budget: 'budgets/ci.json',
  engine: 'builtin',
  engineVersion: '0.1.0',
  httpTransport: 'auto',
  lighthousePresets: ['mobile'],
};

describe('run identity', () => {
  it('hashes script text and env, whatever the order of the env keys', () => {
    expect(scenarioOptionsHash('x', { A: '1', B: '2' })).toBe(scenarioOptionsHash('x', { B: '2', A: '1' }));
    expect(scenarioOptionsHash('x', { A: '1' })).not.toBe(scenarioOptionsHash('x', { A: '2' }));
    expect(scenarioOptionsHash('x', {})).not.toBe(scenarioOptionsHash('y', {}));
    expect(scenarioOptionsHash('x', {})).toMatch(/^[0-9a-f]{16}$/);
  });

  it('names a URL target by its origin and a provider by its label', () => {
    expect(targetIdentityName('http://127.0.0.1:3000/app/')).toBe('http://127.0.0.1:3000');
    expect(targetIdentityName('reference app')).toBe('reference app');
  });

  it('lists every difference, and none for the same identity', () => {
    expect(identityDifferences(identity, structuredClone(identity))).toEqual([]);
    const other: RunIdentity = {
      ...identity,
      target: 'http://127.0.0.1:4000',
      profile: 'default',
      scenarios: [{ name: 'smoke', optionsHash: 'ffffffffffffffff' }],
      lighthousePresets: ['mobile', 'desktop'],
    };
    const diff = identityDifferences(identity, other);
    expect(diff).toEqual([
      'target: reference app vs http://127.0.0.1:4000',
      'profile: ci vs default',
      expect.stringMatching(/^scenarios: smoke@[0-9a-f]{16} vs smoke@ffffffffffffffff$/),
      'Lighthouse presets: mobile vs mobile, desktop',
    ]);
    expect(identityDifferences(identity, undefined)).toEqual([expect.stringMatching(/no run identity/)]);
  });

  it('never takes an interrupted run or one without identity as a baseline', () => {
    expect(isComparableBaseline(identity, { identity, status: 'complete' })).toBe(true);
    expect(isComparableBaseline(identity, { identity })).toBe(true);
    expect(isComparableBaseline(identity, { identity, status: 'interrupted' })).toBe(false);
    expect(isComparableBaseline(identity, {})).toBe(false);
  });

  it('is part of the result model', () => {
    const r = generateResults();
    const withIdentity = {
      ...r,
      meta: {
        ...r.meta,
        identity,
        status: 'interrupted',
        interruption: { signal: 'SIGINT', scenario: 'smoke', stage: 'scenarios' },
      },
    };
    expect(validateResults(withIdentity, 'r.json').meta.status).toBe('interrupted');
    expect(() => validateResults({ ...r, meta: { ...r.meta, status: 'half' } }, 'r.json')).toThrow(/meta\/status/);
  });
});
