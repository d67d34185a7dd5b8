/**
 * docs/config.md and perfkit.config.schema.json are generated from the zod schemas: the checked-in files
 * are current, and the check (run by `npm run lint`) fails, naming the command, when one is stale.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConfigDocs } from '../toolkit/cli/config-docs.ts';
import { loadtestHelpFor } from '../toolkit/cli/loadtest/command.ts';
import { referenceRig } from '../reference-app/rig/provider.ts';

const ROOT = path.join(import.meta.dirname, '..');
const check = (cwd: string) =>
  spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/config-docs.ts'), '--check'], {
    cwd,
    encoding: 'utf8',
  });

describe('docs/config.md', () => {
  it('is current, documents every key, the provider section, the flags and the variables', () => {
    const text = renderConfigDocs({ provider: referenceRig, loadtestHelp: loadtestHelpFor(referenceRig) });
    expect(readFileSync(path.join(ROOT, 'docs/config.md'), 'utf8'), 'run: npm run docs:config').toBe(text);
    for (const key of ['`lighthouse.pages`', '`auth.loginPath`', '`pages`', '`reference.instances`', '`bundle.stats`'])
      expect(text).toContain(key);
    expect(text).toContain('--bundle-stats FILE');
    expect(text).toContain('`PERFKIT_LOGIN_PASSWORD`');
    expect(check(ROOT).status).toBe(0);
  });

  it('fails the check when it is stale', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'config-docs-'));
    mkdirSync(path.join(cwd, 'docs'));
    for (const f of ['perfkit.config.schema.json', '.prettierrc.json']) cpSync(path.join(ROOT, f), path.join(cwd, f));
    const docs = readFileSync(path.join(ROOT, 'docs/config.md'), 'utf8');
    writeFileSync(path.join(cwd, 'docs/config.md'), docs.replace(/^\| `budget` .*\n/m, ''));
    const run = check(cwd);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^stale: docs\/config\.md \(the config schema changed\); run: npm run docs:config$/m);
  });
});
