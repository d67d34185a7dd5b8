/** Sizes of one file or a group of files in bytes: as emitted, gzip-compressed and brotli-compressed. */
export interface SizeTriple {
  raw: number;
  gzip: number;
  brotli: number;
}

/** Kinds of emitted files, by extension. */
export type AssetKind = 'js' | 'css' | 'html' | 'image' | 'font' | 'other';

/** One emitted file. */
export interface BundleAsset {
  name: string;
  kind: AssetKind;
  size: SizeTriple;
  /** Where the compressed sizes come from: a .gz/.br file next to it (what a server would send) or zlib here. */
  compressed: { gzip: 'sibling' | 'computed'; brotli: 'sibling' | 'computed' };
}

/** An entry point with what a first visit must download for it (its initial chunks' files). */
export interface BundleEntrypoint {
  name: string;
  assets: string[];
  js: SizeTriple;
  css: SizeTriple;
  /** js + css + any other initial files. */
  total: SizeTriple;
}

/** A chunk: initial ones load with their entry, the others on demand (import()). */
export interface BundleChunk {
  /** webpack's chunk id when the stats carry it, else its names, else its first file. */
  id: string;
  names: string[];
  initial: boolean;
  entry: boolean;
  files: string[];
  size: SizeTriple;
}

/** What analyzeBundle found in a webpack build. */
export interface BundleResult {
  statsPath: string;
  /** Folder the asset files were read from. */
  outDir: string;
  webpackVersion: string | null;
  hash: string | null;
  entrypoints: BundleEntrypoint[];
  chunks: BundleChunk[];
  assets: BundleAsset[];
  /** All emitted assets (maps, .gz/.br siblings and licence files excluded). */
  total: SizeTriple;
  totalsByKind: Partial<Record<AssetKind, SizeTriple>>;
  /** webpack-bundle-analyzer's static report when one sits in outDir (or was given), else null. */
  reportPath: string | null;
}
