// webpack-bundle-analyzer ships no types; this declares the part the build uses.
declare module 'webpack-bundle-analyzer' {
  import type { Compiler, StatsOptions } from 'webpack';

  export interface BundleAnalyzerOptions {
    analyzerMode?: 'server' | 'static' | 'json' | 'disabled';
    reportFilename?: string;
    openAnalyzer?: boolean;
    generateStatsFile?: boolean;
    statsFilename?: string;
    statsOptions?: StatsOptions | null;
    logLevel?: 'info' | 'warn' | 'error' | 'silent';
  }

  export class BundleAnalyzerPlugin {
    constructor(options?: BundleAnalyzerOptions);
    apply(compiler: Compiler): void;
  }
}
