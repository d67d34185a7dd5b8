import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Configuration } from 'webpack';
import { ToolkitError } from '../../../toolkit/errors.ts';
import { runWebpack } from '../build.ts';
import { CLIENT_DIR } from '../webpack.config.ts';
import { DEVELOPMENT_BUILD, findDevelopmentModules, productionAliases } from './production-builds.ts';

// Under the repository's node_modules, so that the fixtures resolve the installed react-router.
const cacheDir = path.join(CLIENT_DIR, '../../node_modules/.cache');
mkdirSync(cacheDir, { recursive: true });
const dir = mkdtempSync(path.join(cacheDir, 'production-builds-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(file: string, text: string): string {
  const full = path.join(dir, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}

/** A production build of one entry file into its own folder (no cache: each test builds what it wrote). */
async function build(name: string, entry: string, alias: Record<string, string> = {}) {
  const config: Configuration = {
    mode: 'production',
    context: dir,
    entry: { main: entry },
    output: { path: path.join(dir, `out-${name}`) },
    resolve: { alias },
    optimization: { minimize: false },
    cache: false,
  };
  const stats = await runWebpack(config);
  expect(stats.hasErrors(), stats.toString('errors-only')).toBe(false);
  return stats;
}

describe('development builds in production chunks', () => {
  it('matches development folders and *.development.js files, not other paths', () => {
    expect(DEVELOPMENT_BUILD.test('/n/react-router/dist/development/index.mjs')).toBe(true);
    expect(DEVELOPMENT_BUILD.test('/n/react-dom/cjs/react-dom-client.development.js')).toBe(true);
    expect(DEVELOPMENT_BUILD.test('C:\\n\\lib\\development\\x.js')).toBe(true);
    expect(DEVELOPMENT_BUILD.test('/n/react-dom/cjs/react-dom-client.production.js')).toBe(false);
    expect(DEVELOPMENT_BUILD.test('/app/features/development-notes.ts')).toBe(false);
  });

  it('lists a development module even inside a concatenated module, per chunk', async () => {
    write('fixture/lib/development/dev.js', 'export const who = () => "dev";\n');
    write('fixture/lib/production/prod.js', 'export const who = () => "prod";\n');
    write('fixture/lazy.js', 'import { who } from "./lib/development/dev.js";\nexport default who;\n');
    const entry = write(
      'fixture/main.js',
      'import { who } from "./lib/production/prod.js";\nconsole.log(who());\nimport("./lazy.js").then((m) => console.log(m.default()));\n',
    );
    const stats = await build('fixture', entry);
    const found = findDevelopmentModules(stats.compilation);
    expect(found).toHaveLength(1);
    expect(found[0]?.modules).toEqual([path.join(dir, 'fixture/lib/development/dev.js')]);
    expect(found[0]?.chunk).not.toBe('main');
  });

  it("resolves react-router's development build without the aliases and its production build with them", async () => {
    const entry = write(
      'router.js',
      'import { Link, useNavigate } from "react-router";\nconsole.log(Link, useNavigate);\n',
    );
    const plain = findDevelopmentModules((await build('router-plain', entry)).compilation);
    expect(plain.flatMap((d) => d.modules).some((m) => m.includes('react-router/dist/development/'))).toBe(true);

    const aliases = productionAliases(CLIENT_DIR);
    expect(aliases['react-router$']).toMatch(/react-router[\\/]dist[\\/]production[\\/]index\.mjs$/);
    const stats = await build('router-aliased', entry, aliases);
    expect(findDevelopmentModules(stats.compilation)).toEqual([]);
    const bundle = readFileSync(path.join(dir, 'out-router-aliased/main.js'), 'utf8');
    expect(bundle).toContain('ENABLE_DEV_WARNINGS = false');
  });

  it('fails the build, naming the export, when a package points at a development build with no production twin', () => {
    write(
      'node_modules/dev-only/package.json',
      JSON.stringify({ name: 'dev-only', exports: { '.': { import: './dist/development/index.mjs' } } }),
    );
    write('node_modules/dev-only/dist/development/index.mjs', 'export {};\n');
    let error: unknown;
    try {
      productionAliases(dir, ['dev-only']);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ToolkitError);
    expect((error as ToolkitError).code).toBe('BUILD_FAILED');
    expect((error as ToolkitError).message).toMatch(/dev-only[\\/]package\.json#\/exports\/\. points at .*development/);
    expect((error as ToolkitError).message).toContain('dist/production/index.mjs');
  });
});
