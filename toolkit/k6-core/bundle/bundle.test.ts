/** Bundling k6 scripts: plain JS for real k6, the allow-list for an engine's own modules, errors that say what to do. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ToolkitError } from '../../errors.ts';
import { bundleForK6, bundleScript, SUPPORTED_K6_MODULES, type SupportedK6Module } from './bundle.ts';

const dir = mkdtempSync(join(tmpdir(), 'perfkit-core-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

async function failure(p: Promise<unknown>): Promise<ToolkitError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ToolkitError);
  return err as ToolkitError;
}

describe('bundleForK6', () => {
  it('inlines relative TypeScript and keeps k6 modules and remote URLs as imports', async () => {
    script('helper.ts', 'export const twice = (n: number): number => n * 2;\n');
    const entry = script(
      'entry.ts',
      "import http from 'k6/http';\nimport { x } from 'https://jslib.k6.io/x.js';\nimport { twice } from './helper.ts';\n" +
        'export default function (): void { http.get(String(twice(x))); }\n',
    );
    const js = readFileSync(await bundleForK6(entry, join(dir, 'out', 'entry.js')), 'utf8');
    expect([...js.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]).sort()).toEqual([
      'https://jslib.k6.io/x.js',
      'k6/http',
    ]);
    expect(js).toContain('n * 2');
    expect(js).not.toMatch(/: number/);
  });

  it('a missing script is invalid options (exit 104)', async () => {
    const err = await failure(bundleForK6(join(dir, 'nope.js'), join(dir, 'nope.out.js')));
    expect([err.code, err.exitCode]).toEqual(['FILE_NOT_FOUND', 104]);
  });
});

describe('bundleScript for an engine', () => {
  const files = Object.fromEntries(
    SUPPORTED_K6_MODULES.map((m) => [m, script(`${m.replace('/', '-')}-impl.js`, `export const from = '${m}';\n`)]),
  ) as Record<SupportedK6Module, string>;

  it('resolves the allow-listed k6 modules to the engine files', async () => {
    const entry = script('ok.js', "import { from } from 'k6/execution';\nexport default () => from;\n");
    await bundleScript(entry, join(dir, 'ok.out.mjs'), { kind: 'engine', files });
    const js = readFileSync(join(dir, 'ok.out.mjs'), 'utf8');
    expect(js).toContain('var from = "k6/execution"');
    expect(js).not.toMatch(/^import /m);
  });

  it('refuses other k6 modules and remote imports with exit 107 and the advice to use real k6', async () => {
    for (const what of ['k6/ws', 'https://jslib.k6.io/x.js']) {
      const entry = script('bad.js', `import * as m from '${what}';\nexport default () => m;\n`);
      const err = await failure(bundleScript(entry, join(dir, 'bad.out.mjs'), { kind: 'engine', files }));
      expect([err.code, err.exitCode]).toEqual(['UNSUPPORTED_K6_API', 107]);
      expect(err.message).toContain(what);
      expect(err.fix).toContain('--engine k6');
    }
  });

  it('a compile error names the file and line (exit 107)', async () => {
    const entry = script('broken.ts', 'export default function () {\n  const = 1;\n}\n');
    const err = await failure(bundleScript(entry, join(dir, 'broken.out.mjs'), { kind: 'engine', files }));
    expect([err.code, err.exitCode]).toEqual(['SCRIPT_INVALID', 107]);
    // In k6 2.x's (goja's) words: file URL, `Line line:column`, the token.
    expect(err.message).toMatch(/^file:\/\/\/.*\/broken\.ts: Line 2:9 Unexpected token =$/);
  });
});
