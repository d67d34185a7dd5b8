import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';

const base = { DATABASE_URL: 'postgres://x/db', REDIS_URL: 'redis://x' };

describe('auto-scaling config', () => {
  it('has defaults with a gap between the up and down thresholds', () => {
    const { autoscale } = loadConfig(base);
    expect(autoscale.up.cpuPercent).toBeGreaterThan(autoscale.down.cpuPercent);
    expect(autoscale.down.readings).toBeGreaterThan(autoscale.up.readings);
  });

  it('reads every threshold from the environment', () => {
    const { autoscale, debugBurnRoute } = loadConfig({
      ...base,
      AUTOSCALE_UP_CPU_PERCENT: '60',
      AUTOSCALE_DOWN_READINGS: '7',
      AUTOSCALE_COOLDOWN_MS: '0',
      DEBUG_BURN_ROUTE: 'true',
    });
    expect(autoscale.up.cpuPercent).toBe(60);
    expect(autoscale.down.readings).toBe(7);
    expect(autoscale.cooldownMs).toBe(0);
    expect(debugBurnRoute).toBe(true);
  });

  it('refuses a down threshold at or above its up threshold, naming both variables', () => {
    expect(() => loadConfig({ ...base, AUTOSCALE_DOWN_LAG_MS: '50' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, AUTOSCALE_DOWN_LAG_MS: '60' })).toThrow(
      /AUTOSCALE_DOWN_LAG_MS must be below AUTOSCALE_UP_LAG_MS/,
    );
  });
});
