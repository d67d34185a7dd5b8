import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * One-way imports: shared → features → app. shared/ imports neither features
 * nor app; a feature imports shared/ and itself only, never app/ or another feature.
 */
const CLIENT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

function violations(): string[] {
  const found: string[] = [];
  for (const layer of ['shared', 'features']) {
    for (const file of sources(path.join(CLIENT, layer))) {
      const rel = path.relative(CLIENT, file).split(path.sep);
      const feature = layer === 'features' ? rel[1] : undefined;
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = path.relative(CLIENT, path.resolve(path.dirname(file), spec ?? '')).split(path.sep);
        const bad =
          layer === 'shared'
            ? target[0] !== 'shared'
            : target[0] === 'app' || (target[0] === 'features' && target[1] !== feature);
        if (bad) found.push(`${rel.join('/')} imports ${target.join('/')}`);
      }
    }
  }
  return found;
}

describe('client import boundaries', () => {
  it('shared → features → app, and features do not import each other', () => {
    expect(violations()).toEqual([]);
  });
});
