import { describe, expect, it } from 'vitest';
import { ToolkitError } from '../errors.ts';
import { envSettings } from './config.ts';
import { loadConfig } from './loadtest/config.ts';

describe('the environment, read once', () => {
  it('parses the variables the toolkit honours', () => {
    const s = envSettings({
      PERFKIT_ENGINE: 'k6',
      PERFKIT_HTTP_TRANSPORT: 'shared',
      K6_BIN: '/opt/k6',
      PERFKIT_TARGET: '',
    });
    expect(s).toMatchObject({ engine: 'k6', httpTransport: 'shared', k6Bin: '/opt/k6', target: undefined });
  });

  it('names the variable of a bad value', () => {
    expect(() => envSettings({ PERFKIT_HTTP_TRANSPORT: 'fast' })).toThrow(
      /PERFKIT_HTTP_TRANSPORT=fast: expected one of auto, vu, shared/,
    );
    expect(() => envSettings({ PERFKIT_TURBOFAN: 'maybe' })).toThrow(ToolkitError);
  });

  it('gives loadtest the HTTP transport from the environment, and the flag wins over it', () => {
    const argv = ['--target', 'http://127.0.0.1:9', '--scenario', 'smoke', '--budget', 'budgets/ci.json'];
    expect(loadConfig(argv, { PERFKIT_HTTP_TRANSPORT: 'shared' }, process.cwd()).httpTransport).toBe('shared');
    expect(
      loadConfig([...argv, '--http-transport', 'vu'], { PERFKIT_HTTP_TRANSPORT: 'shared' }, process.cwd())
        .httpTransport,
    ).toBe('vu');
    expect(loadConfig(argv, {}, process.cwd()).httpTransport).toBe('auto');
  });
});
