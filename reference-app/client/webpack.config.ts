// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- webpack-bundle-analyzer ships no types; this pulls in our declaration wherever this file is compiled
/// <reference path="./types/webpack-bundle-analyzer.d.ts" />
/**
 * The browser app's webpack 5 build: content-hashed chunks (runtime, React
 * framework, other vendors, one per route), esbuild for TS, Terser to minify,
 * precompressed .br/.gz, a Workbox service worker, and the analyzer's report
 * plus stats.json for the bundle budget in build-stats/ beside the output,
 * never inside it (they carry absolute build paths; nothing there is served).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import zopfli from '@gfx/zopfli';
import CompressionPlugin from 'compression-webpack-plugin';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import TerserPlugin from 'terser-webpack-plugin';
import webpack, { type Configuration } from 'webpack';
import { BundleAnalyzerPlugin } from 'webpack-bundle-analyzer';
import { InjectManifest } from 'workbox-webpack-plugin';
import { PreloadRoutePlugin } from './webpack/preload-route-plugin.ts';
import { productionAliases } from './webpack/production-builds.ts';

export const CLIENT_DIR = path.dirname(fileURLToPath(import.meta.url));
const PURE_REACT_CALLS_LOADER = path.join(CLIENT_DIR, 'webpack/pure-react-calls-loader.js');
export const DIST_DIR = path.join(CLIENT_DIR, 'dist');
export const STATS_FILE = 'stats.json';
/** Where stats.json and bundle-report.html go: beside dist/, so neither the app nor nginx ever serves them. */
export const BUILD_STATS_DIR = path.join(CLIENT_DIR, 'build-stats');
/** The chunk the dashboard route lives in; preloaded by index.html and counted as initial JS. */
export const DASHBOARD_CHUNK = 'route-dashboard';
/** API answers the dashboard needs first; preloaded by index.html (see PreloadRoutePlugin). */
export const DASHBOARD_PRELOADS = ['/api/auth/me', '/api/dashboard'] as const;

export type BuildMode = 'production' | 'development';

export interface ClientConfigOptions {
  mode: BuildMode;
  outDir?: string;
  /** Writes the analyzer report and stats.json into statsDir (default true: buildClient returns statsPath). */
  analyze?: boolean;
  /** Default BUILD_STATS_DIR. */
  statsDir?: string;
}

function indexHtml(): string {
  const html = readFileSync(path.join(CLIENT_DIR, 'app/index.html'), 'utf8');
  const css = readFileSync(path.join(CLIENT_DIR, 'app/styles.css'), 'utf8');
  // Critical CSS is the whole stylesheet (a few kB): inlining it saves a render-blocking request.
  return html.replace('/*__INLINE_CSS__*/', () => css);
}

const NOT_PRECACHED = [/\.map$/, /\.(br|gz)$/, /^stats\.json$/, /^bundle-report\.html$/, /LICENSE/];

/** HTML with inlined CSS and preloads; in production also the service worker, .gz/.br copies and the analyzer. */
function clientPlugins(production: boolean, analyze: boolean, statsDir: string): NonNullable<Configuration['plugins']> {
  return [
    // The app's own build switch (libraries keep reading NODE_ENV, which webpack's mode defines).
    new webpack.DefinePlugin({ __PRODUCTION__: JSON.stringify(production) }),
    new HtmlWebpackPlugin({
      templateContent: indexHtml(),
      inject: 'head',
      scriptLoading: 'defer',
      minify: production ? { collapseWhitespace: true, removeComments: true, minifyCSS: true, minifyJS: true } : false,
    }),
    new PreloadRoutePlugin(DASHBOARD_CHUNK, DASHBOARD_PRELOADS),
    ...(production
      ? [
          new InjectManifest({
            swSrc: path.join(CLIENT_DIR, 'sw/sw.ts'),
            swDest: 'sw.js',
            exclude: NOT_PRECACHED,
            maximumFileSizeToCacheInBytes: 2_000_000,
          }),
          new CompressionPlugin({
            filename: '[path][base].gz',
            // Zopfli writes ordinary gzip that every client inflates, 3 % smaller than zlib's level 9 (measured on
            // the initial chunks), at a cost paid once per build.
            algorithm: (input: Buffer, options: object, done: (error: Error | null, result: Uint8Array) => void) =>
              zopfli.gzip(input, { numiterations: 15 }, (error, output) => done(error ?? null, output)),
            test: /\.(js|html|svg|json)$/,
            threshold: 1024,
            minRatio: 0.9,
          }),
          new CompressionPlugin<zlib.BrotliOptions>({
            filename: '[path][base].br',
            algorithm: 'brotliCompress',
            test: /\.(js|html|svg|json)$/,
            threshold: 1024,
            minRatio: 0.9,
            compressionOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } },
          }),
        ]
      : []),
    ...(analyze
      ? [
          new BundleAnalyzerPlugin({
            analyzerMode: 'static',
            // Absolute paths: the plugin resolves them against the output folder otherwise.
            reportFilename: path.join(statsDir, 'bundle-report.html'),
            openAnalyzer: false,
            generateStatsFile: true,
            statsFilename: path.join(statsDir, STATS_FILE),
            logLevel: 'silent',
            statsOptions: { source: false, modules: true, chunks: true, chunkModules: false, reasons: false },
          }),
        ]
      : []),
  ];
}

export function createClientConfig(options: ClientConfigOptions): Configuration {
  const { mode } = options;
  const outDir = options.outDir ?? DIST_DIR;
  const production = mode === 'production';
  const analyze = options.analyze ?? true;
  return {
    mode,
    context: CLIENT_DIR,
    entry: { main: './app/main.tsx' },
    target: 'browserslist:chrome >= 100, firefox >= 100, safari >= 15',
    output: {
      path: outDir,
      publicPath: '/',
      filename: production ? '[name].[contenthash:10].js' : '[name].js',
      chunkFilename: production ? '[name].[contenthash:10].js' : '[name].js',
      clean: true,
    },
    resolve: {
      extensions: ['.ts', '.tsx', '.js', '.mjs'],
      // Libraries whose package.json names only their development build (react-router): see production-builds.ts.
      alias: production ? productionAliases(CLIENT_DIR) : {},
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          loader: 'esbuild-loader',
          options: { loader: 'tsx', target: 'es2020', jsx: 'automatic' },
        },
        // Lets the minifier drop react-router's unused components (see the loader).
        ...(production
          ? [{ test: /[\\/]react-router[\\/]dist[\\/]production[\\/]/, loader: PURE_REACT_CALLS_LOADER }]
          : []),
      ],
    },
    devtool: production ? false : 'eval-cheap-module-source-map',
    cache: {
      type: 'filesystem',
      cacheDirectory: path.join(CLIENT_DIR, '../../node_modules/.cache/webpack-client'),
      buildDependencies: { config: [fileURLToPath(import.meta.url)] },
    },
    optimization: {
      minimize: production,
      // Terser (webpack's default minimizer) for every chunk: unlike esbuild's minifier
      // it drops the code webpack's tree shaking marked unused inside module wrappers
      // (react-router ships one large module) and makes React's chunk ~0.8 kB smaller.
      // Three compress passes: ~0.4 % smaller initial chunks than webpack's default Terser settings.
      minimizer: [
        new TerserPlugin({
          extractComments: false,
          terserOptions: { ecma: 2020, compress: { passes: 3 }, format: { comments: false } },
        }),
      ],
      usedExports: true,
      sideEffects: true,
      runtimeChunk: 'single',
      moduleIds: 'deterministic',
      splitChunks: {
        cacheGroups: {
          // React changes rarely: its own long-cached chunk.
          framework: {
            test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/,
            name: 'framework',
            chunks: 'initial',
            priority: 40,
            enforce: true,
          },
          // Other libraries needed at start; libraries only one route uses stay in that route's chunk.
          vendor: { test: /[\\/]node_modules[\\/]/, name: 'vendor', chunks: 'initial', priority: 20, enforce: true },
        },
      },
    },
    performance: { hints: production ? 'warning' : false, maxEntrypointSize: 400_000, maxAssetSize: 300_000 },
    plugins: clientPlugins(production, analyze, options.statsDir ?? BUILD_STATS_DIR),
  };
}

export default createClientConfig({ mode: 'production' });
