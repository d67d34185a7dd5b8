/**
 * The `k6/encoding` module: base64 in Go's four alphabets (std, rawstd, url, rawurl), as k6's
 * encoding.go: an unknown alphabet name means std; decoding is strict (Go's DecodeString) and gives
 * an ArrayBuffer, or a string with format 's'.
 */
import { Buffer } from 'node:buffer';
import { toArrayBuffer, toBytes } from './bytes.ts';

type Alphabet = 'std' | 'rawstd' | 'url' | 'rawurl';

const alphabet = (name: unknown): Alphabet => (name === 'rawstd' || name === 'url' || name === 'rawurl' ? name : 'std');

const PATTERN: Record<Alphabet, RegExp> = {
  std: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  rawstd: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2,3})?$/,
  url: /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/,
  rawurl: /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2,3})?$/,
};

/** Base64 of a string (UTF-8) or ArrayBuffer in one of Go's alphabets. */
export function b64encode(input: unknown, encoding?: string): string {
  const alpha = alphabet(encoding);
  const buf = Buffer.from(toBytes(input, 'b64encode'));
  const url = alpha === 'url' || alpha === 'rawurl';
  let out = buf.toString(url ? 'base64url' : 'base64');
  if (alpha === 'url') out += '='.repeat((4 - (out.length % 4)) % 4);
  if (alpha === 'rawstd') out = out.replace(/=+$/, '');
  return out;
}

/** Decodes base64 in one of Go's alphabets; throws on input that alphabet rejects, as Go does. */
export function b64decode(input: unknown, encoding?: string, format?: string): ArrayBuffer | string {
  const alpha = alphabet(encoding);
  const text = String(input);
  // Go ignores \r and \n in encoded input; everything else must belong to the alphabet.
  const clean = text.replace(/[\r\n]/g, '');
  if (!PATTERN[alpha].test(clean)) {
    throw new Error(`b64decode: "${text.slice(0, 40)}" is not valid base64 in the "${alpha}" alphabet`);
  }
  const bytes = Buffer.from(clean, alpha === 'url' || alpha === 'rawurl' ? 'base64url' : 'base64');
  return format === 's' ? bytes.toString('utf8') : toArrayBuffer(bytes);
}

export default { b64encode, b64decode };
