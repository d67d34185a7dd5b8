import { readFile, stat } from 'node:fs/promises';

interface StatsAsset {
  name: string;
  size: number;
}
interface Stats {
  assets?: StatsAsset[];
  entrypoints?: Record<string, { assets?: (string | { name: string; size?: number })[] }>;
}

/** Sum of the main entry's initial JS in bytes, from the client build's stats.json; null without a build. */
export async function initialJsBytes(file: string | undefined): Promise<number | null> {
  if (!file) return null;
  try {
    await stat(file);
    const stats = JSON.parse(await readFile(file, 'utf8')) as Stats;
    const entry = stats.entrypoints?.['main'] ?? Object.values(stats.entrypoints ?? {})[0];
    if (!entry?.assets) return null;
    const sizes = new Map((stats.assets ?? []).map((a) => [a.name, a.size]));
    let total = 0;
    for (const a of entry.assets) {
      const name = typeof a === 'string' ? a : a.name;
      if (!name.endsWith('.js')) continue;
      total += (typeof a === 'string' ? undefined : a.size) ?? sizes.get(name) ?? 0;
    }
    return total;
  } catch {
    return null;
  }
}
