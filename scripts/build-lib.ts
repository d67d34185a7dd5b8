// `npm run build:lib` (and `npm pack`'s prepack): the installable package's JavaScript and type declarations
// in dist-lib/ (tsc), plus the files the toolkit reads at run time (the socket addon's C source, the generic
// scenarios, the results schema). `tsx scripts/build-lib.ts DIR` writes the same into DIR instead.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(import.meta.dirname, '..');
const OUT = process.argv[2] ? path.resolve(process.argv[2]) : path.join(ROOT, 'dist-lib');
rmSync(OUT, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.lib.json', '--outDir', OUT],
  {
    cwd: ROOT,
    stdio: 'inherit',
  },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
const ASSET = /\.(c|h|js|json)$/;
let copied = 0;
for (const entry of readdirSync(path.join(ROOT, 'toolkit'), { recursive: true, withFileTypes: true })) {
  const rel = path.relative(ROOT, path.join(entry.parentPath, entry.name));
  if (!entry.isFile() || !ASSET.test(entry.name) || rel.split(path.sep).includes('fixtures')) continue;
  cpSync(path.join(ROOT, rel), path.join(OUT, rel));
  copied += 1;
}
for (const bin of ['perfkit.js', 'perfkit-k6.js']) chmodSync(path.join(OUT, 'bin', bin), 0o755);
process.stderr.write(
  `${path.relative(ROOT, OUT) || OUT}/: compiled toolkit/ and bin/, ${copied} asset file(s) copied\n`,
);
