/** Flag parsing shared by the commands: node's parseArgs with errors from the catalogue. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from '../errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flag values as node:util parseArgs hands them over, for flags a command learns at run time (a provider's). */
export type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** What parseFlags returns for a set of options. */
export type ParsedFlags<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

/** Parses argv strictly; an unknown or malformed flag is a USAGE error naming it. */
export function parseFlags<T extends Options>(argv: string[], options: T, help: string): ParsedFlags<T> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError(err instanceof Error ? err.message : String(err), `see the usage:\n${help}`);
  }
}
