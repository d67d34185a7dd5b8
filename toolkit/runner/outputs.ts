/** End-of-test files: what handleSummary returned (streams and files), and writing a file into a folder made on demand. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Writer } from '../k6-core/index.ts';

/** Writes handleSummary's return value: `stdout`/`stderr` keys to the streams, others as files (relative to cwd). */
export async function writeHandleSummaryResult(
  result: unknown,
  cwd: string,
  stdout: Writer,
  stderr: Writer,
): Promise<void> {
  if (result === null || typeof result !== 'object') return;
  for (const [key, value] of Object.entries(result as Record<string, unknown>)) {
    const text =
      typeof value === 'string' ? value : value instanceof ArrayBuffer ? Buffer.from(value) : JSON.stringify(value);
    if (key === 'stdout') stdout.write(text.toString());
    else if (key === 'stderr') stderr.write(text.toString());
    else await writeFileMkdir(resolve(cwd, key), text);
  }
}

export async function writeFileMkdir(path: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}
