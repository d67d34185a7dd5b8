/**
 * Bundle guards over the production build the test run's global setup made
 * (dist/ and build-stats/stats.json; nothing is built here):
 * - no production chunk, the service worker's included, bundles a module of a
 *   development build (react-router's package.json points webpack at one);
 * - react-router's `Link` / `NavLink` stay out of the client: the app's own
 *   AppLink / AppNavLink (shared/ui/app-link.tsx) replace them, and the
 *   components' code (prefetching, masking, view transitions) would cost the
 *   start-up bundle ~2.5 kB gzip. Checked in the sources (no import) and in
 *   the emitted files (react-router's Link writes a `data-discover` attribute).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_BUILD } from '../webpack/production-builds.ts';
import { BUILD_STATS_DIR, CLIENT_DIR, DIST_DIR, STATS_FILE } from '../webpack.config.ts';

interface StatsModule {
  name: string;
  chunks?: (string | number)[];
  modules?: StatsModule[];
}
interface StatsCompilation {
  name?: string;
  modules?: StatsModule[];
  children?: StatsCompilation[];
}

/** "compilation: module" for every bundled module (inside concatenations too) whose path is a development build. */
function developmentModules(stats: StatsCompilation): string[] {
  const found: string[] = [];
  const visit = (modules: StatsModule[] | undefined, where: string): void => {
    for (const m of modules ?? []) {
      if (DEVELOPMENT_BUILD.test(m.name)) found.push(`${where}: ${m.name}`);
      visit(m.modules, where);
    }
  };
  const walk = (c: StatsCompilation): void => {
    visit(
      c.modules?.filter((m) => (m.chunks ?? []).length > 0),
      c.name ?? 'main',
    );
    for (const child of c.children ?? []) walk(child);
  };
  walk(stats);
  return found;
}

/** Module count over the compilation and its children (a guard that the stats hold modules at all). */
function moduleCount(stats: StatsCompilation): number {
  return (stats.modules?.length ?? 0) + (stats.children ?? []).reduce((n, c) => n + moduleCount(c), 0);
}

function clientSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return ['node_modules', 'dist', 'build-stats'].includes(e.name) ? [] : clientSources(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

const ROUTER_IMPORT = /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"]react-router(?:\/[^'"]*)?['"]/g;

/** "file: Name" for each import of react-router's Link or NavLink (renamed or not) outside `allowed`. */
function routerLinkImports(files: readonly string[], allowed: readonly string[] = []): string[] {
  const found: string[] = [];
  for (const file of files) {
    if (allowed.includes(file)) continue;
    for (const [, names] of readFileSync(file, 'utf8').matchAll(ROUTER_IMPORT)) {
      for (const name of (names ?? '').split(',').map((n) => n.trim().split(/\s+as\s+/)[0])) {
        if (name === 'Link' || name === 'NavLink')
          found.push(`${path.relative(CLIENT_DIR, file).split(path.sep).join('/')}: ${name}`);
      }
    }
  }
  return found;
}

describe('production bundle guards', () => {
  it('bundles no module of a development build in any production chunk', () => {
    const stats = JSON.parse(readFileSync(path.join(BUILD_STATS_DIR, STATS_FILE), 'utf8')) as StatsCompilation;
    expect(moduleCount(stats)).toBeGreaterThan(20);
    expect(developmentModules(stats)).toEqual([]);
  });

  it("imports react-router's Link and NavLink nowhere in the client", () => {
    const files = clientSources(CLIENT_DIR);
    expect(files).toContain(path.join(CLIENT_DIR, 'shared/ui/app-link.tsx'));
    expect(routerLinkImports(files)).toEqual([]);
  });

  it("ships none of react-router's Link code in the served scripts", () => {
    const scripts = readdirSync(DIST_DIR).filter((f) => f.endsWith('.js'));
    expect(scripts.some((f) => f.startsWith('vendor.'))).toBe(true);
    expect(scripts.filter((f) => readFileSync(path.join(DIST_DIR, f), 'utf8').includes('data-discover'))).toEqual([]);
  });

  it('finds Link and NavLink imports however they are written', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'router-links-'));
    const sample = path.join(dir, 'sample.tsx');
    writeFileSync(
      sample,
      'import { Outlet, NavLink as Nav } from \'react-router\';\nimport {\n  Link,\n  useHref,\n} from "react-router";\n',
    );
    try {
      expect(routerLinkImports([sample]).map((f) => f.replace(/^.*: /, ''))).toEqual(['NavLink', 'Link']);
      expect(routerLinkImports([sample], [sample])).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
