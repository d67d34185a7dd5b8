// `npm run docs:config`: writes docs/config.md and perfkit.config.schema.json from the zod schemas;
// with --check (in `npm run lint`) it writes nothing and fails when either is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { main } from '../toolkit/cli/io.ts';
import { configJsonSchema, renderConfigDocs } from '../toolkit/cli/config-docs.ts';
import { loadtestHelpFor } from '../toolkit/cli/loadtest/command.ts';
import { referenceRig } from '../reference-app/rig/provider.ts';

await main(async (io) => {
  const schemaFile = path.join(io.cwd, 'perfkit.config.schema.json');
  const prettier = { ...(await resolveConfig(schemaFile)), filepath: schemaFile };
  const files = {
    'docs/config.md': renderConfigDocs({ provider: referenceRig, loadtestHelp: loadtestHelpFor(referenceRig) }),
    'perfkit.config.schema.json': await format(JSON.stringify(configJsonSchema(referenceRig)), prettier),
  };
  const stale = Object.entries(files).filter(([file, text]) => {
    try {
      return readFileSync(path.join(io.cwd, file), 'utf8') !== text;
    } catch {
      return true;
    }
  });
  if (!io.argv.includes('--check')) {
    for (const [file, text] of stale) writeFileSync(path.join(io.cwd, file), text);
    io.stderr.write(stale.length ? `wrote ${stale.map(([f]) => f).join(', ')}\n` : 'up to date\n');
    return 0;
  }
  if (stale.length === 0) return 0;
  io.stderr.write(`stale: ${stale.map(([f]) => f).join(', ')} (the config schema changed); run: npm run docs:config\n`);
  return 1;
});
