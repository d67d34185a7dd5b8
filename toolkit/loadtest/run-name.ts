/** The run folder's name: when, which profile, which target (2026-12-03T14-12-03Z-ci-localhost-3000). */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** A target as a folder-safe word: a URL's host and port (localhost-3000, 127-0-0-1-8080), else the name given. */
export function targetSlug(target: string): string {
  let word = target;
  try {
    const url = new URL(target);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const host = url.hostname === '[::1]' ? 'ip6-localhost' : url.hostname;
    word = `${host}-${port}`;
  } catch {
    // not a URL: a provider's name such as "reference"
  }
  return (
    word
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'target'
  );
}

/** A sortable run id, unique within the reports folder: 2026-12-03T14-12-03Z-ci-localhost-3000 (then …-2, …-3). */
export function newRunId(now: Date, profile: string, target: string, outDir: string): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
  const base = `${stamp}-${profile}-${targetSlug(target)}`;
  let id = base;
  for (let n = 2; existsSync(path.join(outDir, id)); n += 1) id = `${base}-${n}`;
  return id;
}
