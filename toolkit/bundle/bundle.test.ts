import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import CompressionPlugin from 'compression-webpack-plugin';
import webpack from 'webpack';
import type { WebpackPluginInstance } from 'webpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brotliSizeSync } from './compress.ts';
import { analyzeBundle, bundleSizeFromStats } from './index.ts';
import type { BundleResult } from './index.ts';

const require = createRequire(import.meta.url);
const { BundleAnalyzerPlugin } = require('webpack-bundle-analyzer') as {
  BundleAnalyzerPlugin: new (options: object) => WebpackPluginInstance;
};

let project: string;
let dist: string;
let result: BundleResult;

function writeProject(dir: string): void {
  mkdirSync(join(dir, 'src'));
  writeFileSync(
    join(dir, 'src', 'index.js'),
    "import './style.css';\nimport { greet } from './greet.js';\ndocument.body.textContent = greet('bundle');\nimport('./lazy.js').then((m) => m.run());\n",
  );
  writeFileSync(
    join(dir, 'src', 'greet.js'),
    `export function greet(name) { return ${JSON.stringify('hello '.repeat(200))} + name; }\n`,
  );
  writeFileSync(join(dir, 'src', 'lazy.js'), "export function run() { console.log('lazy chunk ran', Date.now()); }\n");
  writeFileSync(join(dir, 'src', 'admin.js'), "console.log('admin entry', location.href);\n");
  writeFileSync(
    join(dir, 'src', 'style.css'),
    'body { color: #123456; margin: 0 }\n.card { padding: 4px; border: 1px solid #ccc }\n',
  );
}

async function build(dir: string): Promise<void> {
  const compiler = webpack({
    mode: 'production',
    context: dir,
    entry: { main: './src/index.js', admin: './src/admin.js' },
    output: { path: join(dir, 'dist'), filename: '[name].[contenthash:8].js', clean: true },
    experiments: { css: true },
    devtool: 'source-map',
    plugins: [
      new CompressionPlugin({ test: /\.css$/, threshold: 0, minRatio: Infinity }),
      new BundleAnalyzerPlugin({
        analyzerMode: 'static',
        reportFilename: 'bundle-report.html',
        openAnalyzer: false,
        logLevel: 'silent',
      }),
    ],
  });
  const stats = await new Promise<webpack.Stats>((resolve, reject) =>
    compiler.run((err, s) => (err || !s ? reject(err) : resolve(s))),
  );
  await new Promise<void>((resolve) => compiler.close(() => resolve()));
  if (stats.hasErrors()) throw new Error(stats.toString());
  const json = stats.toJson({
    all: false,
    assets: true,
    chunks: true,
    entrypoints: true,
    chunkGroups: true,
    outputPath: true,
    version: true,
  });
  writeFileSync(join(dir, 'dist', 'stats.json'), JSON.stringify(json));
}

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'perfkit-bundle-'));
  writeProject(project);
  await build(project);
  dist = join(project, 'dist');
  result = await analyzeBundle({ statsPath: join(dist, 'stats.json') });
}, 60_000);
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('analyzeBundle on a real webpack build', () => {
  it('measures every shipped asset from disk, with gzip and brotli equal to zlib', () => {
    const names = result.assets.map((a) => a.name);
    expect(new Set(result.assets.map((a) => a.kind))).toEqual(new Set(['js', 'css']));
    expect(names.some((n) => /^main\..+\.js$/.test(n))).toBe(true);
    expect(names.some((n) => /\.(map|gz)$/.test(n))).toBe(false);
    for (const asset of result.assets) {
      const content = readFileSync(join(dist, asset.name));
      expect(asset.size.raw).toBe(statSync(join(dist, asset.name)).size);
      expect(asset.size.brotli).toBe(brotliSizeSync(content));
      if (asset.kind === 'css') {
        expect(asset.compressed.gzip).toBe('sibling');
        expect(asset.size.gzip).toBe(statSync(join(dist, `${asset.name}.gz`)).size);
      } else {
        expect(asset.compressed.gzip).toBe('computed');
        expect(asset.size.gzip).toBe(gzipSync(content, { level: 9 }).length);
      }
    }
    expect(result.total.raw).toBe(result.assets.reduce((sum, a) => sum + a.size.raw, 0));
    expect(result.outDir).toBe(dist);
  });

  it('splits entry points into initial JS and CSS and marks the lazy chunk async', () => {
    const main = result.entrypoints.find((e) => e.name === 'main');
    const admin = result.entrypoints.find((e) => e.name === 'admin');
    const mainJs = result.assets.find((a) => /^main\..+\.js$/.test(a.name));
    const css = result.assets.find((a) => a.kind === 'css');
    expect(mainJs).toBeDefined();
    expect(css).toBeDefined();
    expect(main?.js).toEqual(mainJs?.size);
    expect(main?.css).toEqual(css?.size);
    expect(main?.total.raw).toBe((mainJs?.size.raw ?? 0) + (css?.size.raw ?? 0));
    expect(admin?.css.raw).toBe(0);
    const async = result.chunks.filter((c) => !c.initial);
    expect(async).toHaveLength(1);
    expect(async[0]?.size.raw).toBeGreaterThan(0);
    expect(
      result.chunks
        .filter((c) => c.entry)
        .map((c) => c.names[0])
        .sort(),
    ).toEqual(['admin', 'main']);
  });

  it('links the webpack-bundle-analyzer report', () => {
    expect(result.reportPath).toBe(join(dist, 'bundle-report.html'));
    expect(existsSync(result.reportPath ?? '')).toBe(true);
  });
});

describe('bundleSizeFromStats', () => {
  it('returns the initial JS gzip size of the named entry', () => {
    const mainJs = result.entrypoints.find((e) => e.name === 'main')?.js.gzip;
    expect(bundleSizeFromStats(join(dist, 'stats.json'))).toBe(mainJs);
    expect(bundleSizeFromStats(join(dist, 'stats.json'), 'admin')).toBe(
      result.entrypoints.find((e) => e.name === 'admin')?.js.gzip,
    );
  });

  it('names the entry points when asked for a missing one, and the file when stats are missing', () => {
    expect(() => bundleSizeFromStats(join(dist, 'stats.json'), 'nope')).toThrow(
      /#\/entrypoints\/nope.*found: main, admin|found: admin, main/,
    );
    expect(() => bundleSizeFromStats(join(dist, 'missing.json'))).toThrow(
      expect.objectContaining({ code: 'FILE_NOT_FOUND' }),
    );
  });
});
