/** The engine facade: which engine runScript picks, and that both give the same kind of outcome. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRealK6s, HOW_TO_ENABLE_K6 } from '../test/support/k6-bins.ts';
import { closeServer, listenLoopback } from '../test/support/loopback.ts';
import { describeEngine, pickEngine, runScript } from './engines.ts';
import { ToolkitError } from './errors.ts';

/** The newest real k6 found, for the auto choice; the tests that need one skip without. */
const K6 = findRealK6s().at(-1);
const FAKE = K6?.bin ?? '/nonexistent/k6';
const SCRIPT = join(import.meta.dirname, 'runner', 'fixtures', 'generic.js');

let server: Server;
let baseUrl = '';
const tmp = mkdtempSync(join(tmpdir(), 'perfkit-engines-test-'));

beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  baseUrl = await listenLoopback(server);
});

afterAll(async () => {
  await closeServer(server);
  rmSync(tmp, { recursive: true, force: true });
});

describe('pickEngine', () => {
  it.skipIf(!K6)('keeps an explicit choice, defaults to builtin, and resolves auto by whether k6 is found', () => {
    expect(pickEngine({})).toBe('builtin');
    expect(pickEngine({ engine: 'k6', processEnv: { PATH: '/nonexistent' } })).toBe('k6');
    expect(pickEngine({ engine: 'builtin', processEnv: { K6_BIN: FAKE } })).toBe('builtin');
    expect(pickEngine({ engine: 'auto', processEnv: { PATH: '/nonexistent' } })).toBe('builtin');
    expect(pickEngine({ engine: 'auto', processEnv: { K6_BIN: FAKE } })).toBe('k6');
    expect(pickEngine({ engine: 'auto', k6Bin: FAKE, processEnv: {} })).toBe('k6');
  });
});

describe('runScript', () => {
  if (!K6) it.skip(HOW_TO_ENABLE_K6, () => {});

  it.skipIf(!K6)(
    'engine auto uses k6 when found and says which, else the built-in runner',
    async () => {
      expect(await describeEngine({ engine: 'auto', processEnv: { K6_BIN: FAKE } })).toBe(
        `engine auto: k6 v${K6?.version} (${FAKE}, from K6_BIN)`,
      );
      expect(await describeEngine({ engine: 'auto', processEnv: { PATH: '/nonexistent' } })).toMatch(
        /^engine auto: built-in runner \(no k6/,
      );
      const env = { BASE_URL: baseUrl, OPTIONS: '{"iterations":1}' };
      const builtin = await runScript({
        script: SCRIPT,
        engine: 'auto',
        env,
        processEnv: { PATH: '/nonexistent' },
        quiet: true,
      });
      expect(builtin.engine).toBe('builtin');
      expect(builtin.summary?.metrics.iterations?.values.count).toBe(1);
      const k6 = await runScript({
        script: SCRIPT,
        engine: 'auto',
        env,
        processEnv: { K6_BIN: FAKE },
        outDir: join(tmp, 'auto'),
        quiet: true,
        noSummary: true,
      });
      expect(k6.engine).toBe('k6');
      expect(k6.engineVersion).toBe(K6?.version);
      expect(k6.summary?.metrics.iterations?.values.count).toBe(1);
    },
    60_000,
  );

  it('engine k6 without a k6 binary is an error that says how to get one', async () => {
    const err = await runScript({ script: SCRIPT, engine: 'k6', processEnv: { PATH: '/nonexistent' } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ToolkitError);
    expect((err as ToolkitError).code).toBe('BINARY_MISSING');
    expect((err as ToolkitError).fix).toMatch(/K6_BIN|--engine builtin/);
  });
});
