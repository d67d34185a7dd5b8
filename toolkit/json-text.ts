/** JSON parsing whose errors say where: `file:line:column: what`, not `at position 39`. */
import { ToolkitError } from './errors.ts';

/** Line and column (both from 1) of a character offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** Parses JSON text from `file`; a syntax error is JSON_INVALID naming file:line:column and what was expected. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = (err as Error).message;
    const m = /\s*(?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
    const offset = m ? Number(m[1]) : /Unexpected end of JSON input/.test(message) ? text.length : undefined;
    const what = (m ? message.replace(m[0], '') : message).replace(/ in JSON$/, '');
    const where = offset === undefined ? '' : `:${lineColumn(text, offset).line}:${lineColumn(text, offset).column}`;
    throw new ToolkitError('JSON_INVALID', `${file}${where}: not valid JSON: ${what}`, {
      fix: 'fix the JSON syntax at that line and column',
      cause: err,
    });
  }
}
