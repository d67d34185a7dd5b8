import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenariosBundle } from './scenarios-bundle.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');
const out = mkdtempSync(path.join(tmpdir(), 'perfkit-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const io = (argv: string[], err: string[] = []) => ({
  argv,
  cwd: ROOT,
  env: {},
  stdout: { write: () => true },
  stderr: { write: (s: string) => err.push(s) },
});

describe('npm run scenarios:bundle', () => {
  it('writes one plain-JS file per scenario whose only imports are k6 modules', async () => {
    expect(await runScenariosBundle(io(['--out', out, 'smoke', 'load']))).toBe(0);
    for (const name of ['smoke', 'load']) {
      const js = readFileSync(path.join(out, `${name}.js`), 'utf8');
      const imports = [...js.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
      expect(imports.length).toBeGreaterThan(0);
      expect(imports.every((m) => m === 'k6' || m?.startsWith('k6/'))).toBe(true);
      expect(js).not.toMatch(/: (string|number|void)\b[,)=]/);
      expect(js).toMatch(/as default\b|export default/);
    }
  });

  it('names the scenarios there are when one is unknown', async () => {
    await expect(runScenariosBundle(io(['--out', out, 'nope']))).rejects.toThrow(/scenario 'nope' not found/);
  });
});
