import { describe, expect, it } from 'vitest';
import { planRun } from './plan.ts';

describe('options.userAgent tiers', () => {
  it('--user-agent over K6_USER_AGENT over the script, as in k6', () => {
    const script = { userAgent: 'script/1' };
    expect(planRun(script).options.userAgent).toBe('script/1');
    expect(planRun(script, {}, { K6_USER_AGENT: 'env/1' }).options.userAgent).toBe('env/1');
    expect(planRun(script, { userAgent: 'flag/1' }, { K6_USER_AGENT: 'env/1' }).options.userAgent).toBe('flag/1');
    expect(planRun({}).options.userAgent).toBeUndefined();
  });
});
