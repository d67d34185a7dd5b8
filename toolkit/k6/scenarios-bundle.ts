import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from '../cli/io.ts';
import { EXIT, ToolkitError } from '../errors.ts';
import { bundleForK6 } from '../k6-core/index.ts';

const HELP = `Usage: npm run scenarios:bundle -- [--out DIR] [NAME ...]

Writes each scenario (scenarios/<name>.ts with its lib/ imports) as one plain-JS
file for k6-operator, k6 cloud or any k6 without TypeScript: scenarios/dist/<name>.js.
k6 modules stay imports; everything else is inlined.`;

/** `npm run scenarios:bundle`: plain-JS bundles of the scenarios for k6's distributed engines. */
export async function runScenariosBundle(io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: io.argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' }, quiet: { type: 'boolean' } },
  });
  if (values.help) {
    io.stdout.write(HELP + '\n');
    return EXIT.ok;
  }
  const dir = path.join(io.cwd, 'scenarios');
  const outDir = path.resolve(io.cwd, values.out ?? 'scenarios/dist');
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3));
  const names = positionals.length ? positionals : all;
  for (const name of names) {
    if (!all.includes(name))
      throw new ToolkitError('FILE_NOT_FOUND', `scenario '${name}' not found in scenarios/`, {
        fix: `choose one of: ${all.join(', ')}`,
      });
    const out = await bundleForK6(path.join(dir, `${name}.ts`), path.join(outDir, `${name}.js`));
    if (!values.quiet) io.stderr.write(`${path.relative(io.cwd, out)}\n`);
  }
  return EXIT.ok;
}
