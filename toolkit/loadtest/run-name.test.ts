/** Run folder names carry the time, the profile and the target, and stay unique in the reports folder. */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newRunId, targetSlug } from './run-name.ts';

describe('run folder names', () => {
  it('name the target by host and port, or by the provider', () => {
    expect(targetSlug('http://localhost:3000')).toBe('localhost-3000');
    expect(targetSlug('http://127.0.0.1:8080/app')).toBe('127-0-0-1-8080');
    expect(targetSlug('http://[::1]:9000')).toBe('ip6-localhost-9000');
    expect(targetSlug('http://localhost')).toBe('localhost-80');
    expect(targetSlug('reference')).toBe('reference');
  });

  it('are time, profile and target, numbered when the folder exists', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'run-name-'));
    const now = new Date('2026-12-03T14:12:03.456Z');
    const id = newRunId(now, 'ci', 'http://localhost:3000', out);
    expect(id).toBe('2026-12-03T14-12-03Z-ci-localhost-3000');
    mkdirSync(path.join(out, id));
    expect(newRunId(now, 'ci', 'http://localhost:3000', out)).toBe('2026-12-03T14-12-03Z-ci-localhost-3000-2');
    expect(newRunId(now, 'default', 'reference', out)).toBe('2026-12-03T14-12-03Z-default-reference');
  });
});
