/**
 * `npm run fuzz -- --seconds N`: builds the libFuzzer harness over the VU
 * socket addon's response parser (fuzz/vu-http-fuzz.c, with AddressSanitizer
 * and UndefinedBehaviorSanitizer) with clang, and runs it for N seconds from the
 * checked-in seed corpus (fuzz/corpus: valid and broken responses). New inputs
 * go to a scratch folder, crashes to node_modules/.cache/perfkit/fuzz/. Exit 0
 * when nothing was found, libFuzzer's own non-zero code when something was.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { CliIo } from './io.ts';
import { parseFlags } from './args.ts';
import { EXIT, ToolkitError, usageError } from '../errors.ts';
import { which } from '../process/which.ts';

const HERE = join(import.meta.dirname, '../runner/native/fuzz');
const ROOT = resolve(import.meta.dirname, '../..');
const HELP = `usage: npm run fuzz -- [--seconds N]   (default 60)

Fuzzes the built-in runner's HTTP response parser (toolkit/runner/native/vu-http.h)
with libFuzzer and AddressSanitizer. Needs clang and its runtime:
  apt-get install -y --no-install-recommends clang libclang-rt-14-dev`;

export async function runFuzz(io: CliIo): Promise<number> {
  const { values } = parseFlags(io.argv, { seconds: { type: 'string' }, help: { type: 'boolean' } }, HELP);
  if (values.help) {
    io.stdout.write(HELP + '\n');
    return EXIT.ok;
  }
  const seconds = Number(values.seconds ?? '60');
  if (!Number.isInteger(seconds) || seconds < 1)
    throw usageError(`--seconds ${values.seconds}: expected a whole number >= 1`);
  const clang = io.env.CC_FUZZ ?? which('clang', io.env) ?? which('clang-14', io.env);
  if (!clang)
    throw new ToolkitError('BINARY_MISSING', 'clang not found: the fuzz harness needs clang with libFuzzer', {
      fix: 'apt-get install -y --no-install-recommends clang libclang-rt-14-dev (or set CC_FUZZ)',
    });
  const out = join(ROOT, 'node_modules/.cache/perfkit/fuzz');
  mkdirSync(out, { recursive: true });
  const bin = join(out, 'vu-http-fuzz');
  const flags = ['-g', '-O1', '-fsanitize=fuzzer,address,undefined', '-fno-sanitize-recover=all'];
  try {
    await promisify(execFile)(clang, [...flags, '-o', bin, join(HERE, 'vu-http-fuzz.c')], { env: io.env });
  } catch (err) {
    throw new ToolkitError(
      'BUILD_FAILED',
      `${clang} could not build the fuzz harness: ${(err as { stderr?: string }).stderr ?? err}`,
      {
        fix: 'install the sanitizer and libFuzzer runtime: apt-get install -y --no-install-recommends libclang-rt-14-dev',
      },
    );
  }
  const scratch = mkdtempSync(join(tmpdir(), 'perfkit-fuzz-'));
  io.stderr.write(
    `fuzzing the response parser for ${seconds} s (AddressSanitizer, UBSan; seed corpus ${join(HERE, 'corpus')})\n`,
  );
  try {
    const args = [
      `-max_total_time=${seconds}`,
      '-max_len=65536',
      '-timeout=10',
      `-artifact_prefix=${out}/`,
      '-print_final_stats=1',
      scratch,
      join(HERE, 'corpus'),
    ];
    const code = await new Promise<number>((done, fail) => {
      const child = spawn(bin, args, { stdio: ['ignore', 'inherit', 'pipe'], env: io.env });
      child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString()));
      child.on('error', fail);
      child.on('close', (c, sig) => done(c ?? (sig ? 128 : 1)));
    });
    io.stderr.write(
      code === 0
        ? `fuzz: no crash, leak or undefined behaviour in ${seconds} s\n`
        : `fuzz: libFuzzer exited ${code}; the failing input is in ${out}/ (reproduce: ${bin} <file>)\n`,
    );
    return code;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
