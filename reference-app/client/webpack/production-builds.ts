/**
 * Keeps libraries' development builds out of production bundles.
 *
 * Most libraries pick their build through the NODE_ENV webpack defines (React) or
 * an export condition (`production` / `development`), both of which webpack's
 * production mode handles. react-router 7 does neither: every condition of its
 * package.json `exports` points at `dist/development/`, with an identical
 * `dist/production/` beside it whose only difference is that dev-only warnings
 * are switched off (and then removed by the minifier). For such packages the
 * production build resolves the export targets' production twins by alias.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Compilation, Module } from 'webpack';
import { ToolkitError } from '../../../toolkit/errors.ts';

/** Packages whose `exports` name only a development build although they ship a production one. */
export const DEV_ONLY_EXPORTS = ['react-router'] as const;

/** A module path that belongs to a development build: `/development/` folders or `*.development.js` files. */
export const DEVELOPMENT_BUILD = /[\\/]development[\\/]|\.development\.[cm]?js$/;

type ExportTarget = string | null | { [condition: string]: ExportTarget } | ExportTarget[];

/** The file a browser ESM import of one subpath gets: the `import`, `module` or `default` condition, nested. */
function browserTarget(target: ExportTarget | undefined): string | undefined {
  if (typeof target === 'string') return target;
  if (target === null || target === undefined || Array.isArray(target)) return undefined;
  for (const condition of ['browser', 'import', 'module', 'default']) {
    const found = browserTarget(target[condition]);
    if (found && !found.endsWith('.d.ts') && !found.endsWith('.d.mts')) return found;
  }
  return undefined;
}

/** The package.json of `name` as Node would find it from `fromDir` (also when its exports hide package.json). */
function findManifest(name: string, fromDir: string): string {
  const lookup = createRequire(path.join(fromDir, 'noop.js')).resolve.paths(name) ?? [];
  const found = lookup.map((dir) => path.join(dir, name, 'package.json')).find((file) => existsSync(file));
  if (!found)
    throw new ToolkitError('BUILD_FAILED', `${name} is not installed (looked from ${fromDir})`, {
      fix: 'run `npm ci`',
    });
  return found;
}

/**
 * webpack `resolve.alias` entries (exact matches, `name/sub$`) that send each
 * export of `packages` from its development target to the production file
 * beside it. Throws when a package points at a development build and ships no
 * production twin, so a release that changes its layout fails the build
 * instead of quietly shipping its development build.
 */
export function productionAliases(
  fromDir: string,
  packages: readonly string[] = DEV_ONLY_EXPORTS,
): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const name of packages) {
    const manifestPath = findManifest(name, fromDir);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: Record<string, ExportTarget> };
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const file = browserTarget(target);
      if (!file || !DEVELOPMENT_BUILD.test(file)) continue;
      const production = path.join(path.dirname(manifestPath), file.replace(/\/development\//, '/production/'));
      if (!existsSync(production))
        throw new ToolkitError(
          'BUILD_FAILED',
          `${manifestPath}#/exports/${subpath.replace(/\//g, '~1')} points at ${file} and there is no ${path.relative(path.dirname(manifestPath), production)}`,
          {
            fix: `check how ${name} ships its production build now and update DEV_ONLY_EXPORTS in reference-app/client/webpack/production-builds.ts`,
          },
        );
      aliases[`${name}${subpath.slice(1)}$`] = production;
    }
  }
  return aliases;
}

/** Every source file bundled into one chunk (modules webpack concatenated are listed one by one). */
function chunkFiles(compilation: Compilation, modules: Iterable<Module>, out: Set<string>): void {
  for (const module of modules) {
    const inner = (module as Module & { modules?: Iterable<Module> }).modules;
    if (inner) chunkFiles(compilation, inner, out);
    const file = module.nameForCondition();
    if (file) out.add(file);
  }
}

/** One emitted chunk and the development-build modules found in it. */
export interface DevelopmentModules {
  chunk: string;
  modules: string[];
}

/**
 * The chunks of a compilation and of its child compilations (the service
 * worker is one) that contain a module from a development build.
 */
export function findDevelopmentModules(compilation: Compilation): DevelopmentModules[] {
  const found: DevelopmentModules[] = [];
  for (const chunk of compilation.chunks) {
    const files = new Set<string>();
    chunkFiles(compilation, compilation.chunkGraph.getChunkModulesIterable(chunk), files);
    const dev = [...files].filter((f) => DEVELOPMENT_BUILD.test(f)).sort();
    const name = chunk.name ?? [...chunk.files][0] ?? String(chunk.id);
    if (dev.length > 0) found.push({ chunk: `${compilation.name ? compilation.name + ':' : ''}${name}`, modules: dev });
  }
  for (const child of compilation.children) found.push(...findDevelopmentModules(child));
  return found;
}
