import type { BundleResult, SizeTriple } from './types.ts';

/** 1234 → "1.2 kB" (decimal units, as budgets write them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

const triple = (s: SizeTriple): string =>
  `${formatBytes(s.raw).padStart(9)} ${formatBytes(s.gzip).padStart(9)} ${formatBytes(s.brotli).padStart(9)}`;

/** A plain-text table of entry points and chunks for people (stderr). */
export function formatBundleTable(result: BundleResult): string {
  const lines = [`${'bundle'.padEnd(34)} ${'raw'.padStart(9)} ${'gzip'.padStart(9)} ${'brotli'.padStart(9)}`];
  for (const entry of result.entrypoints) {
    lines.push(`${`entry ${entry.name} JS`.padEnd(34)} ${triple(entry.js)}`);
    lines.push(`${`entry ${entry.name} CSS`.padEnd(34)} ${triple(entry.css)}`);
  }
  for (const chunk of result.chunks) {
    const label = `chunk ${chunk.names.join(',') || chunk.id}${chunk.initial ? '' : ' (async)'}`;
    lines.push(`${label.slice(0, 34).padEnd(34)} ${triple(chunk.size)}`);
  }
  lines.push(`${'total'.padEnd(34)} ${triple(result.total)}`);
  if (result.reportPath) lines.push(`report: ${result.reportPath}`);
  return lines.join('\n');
}
