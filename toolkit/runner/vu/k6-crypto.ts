/**
 * The `k6/crypto` module, computed with node:crypto (MD4 in md4.ts: OpenSSL 3 dropped it). Names,
 * output encodings and errors follow k6's crypto.go.
 */
import { createHash as nodeHash, createHmac as nodeHmac, randomFillSync } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { toArrayBuffer, toBytes } from './bytes.ts';
import { md4 } from './md4.ts';

/** k6's algorithm names → OpenSSL's (md4 is ours). */
const ALGORITHMS: Record<string, string> = {
  md4: 'md4',
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  sha512_224: 'sha512-224',
  sha512_256: 'sha512-256',
  ripemd160: 'ripemd160',
};

function algorithm(name: unknown, where: string): string {
  const alg = ALGORITHMS[String(name)];
  if (!alg) {
    throw new Error(
      `${where}: invalid algorithm "${String(name)}"; k6/crypto supports ${Object.keys(ALGORITHMS).join(', ')}`,
    );
  }
  return alg;
}

function encode(sum: Uint8Array, outputEncoding: unknown): string | ArrayBuffer {
  const buf = Buffer.from(sum);
  switch (outputEncoding) {
    case 'hex':
      return buf.toString('hex');
    case 'base64':
      return buf.toString('base64');
    case 'base64url': {
      // Go's URLEncoding keeps the padding; Node's base64url drops it.
      const s = buf.toString('base64url');
      return s + '='.repeat((4 - (s.length % 4)) % 4);
    }
    case 'base64rawurl':
      return buf.toString('base64url');
    case 'binary':
      return toArrayBuffer(sum);
    default:
      throw new Error(
        `invalid output encoding: ${String(outputEncoding)} (use "hex", "base64", "base64url", "base64rawurl" or "binary")`,
      );
  }
}

function md4Hmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const block = 64; // MD4's block size in bytes
  const k = new Uint8Array(block);
  k.set(key.length > block ? md4(key) : key);
  const inner = new Uint8Array(block + message.length);
  const outer = new Uint8Array(block + 16);
  for (let i = 0; i < block; i++) {
    inner[i] = k[i]! ^ 0x36;
    outer[i] = k[i]! ^ 0x5c;
  }
  inner.set(message, block);
  outer.set(md4(inner), block);
  return md4(outer);
}

/** k6's Hasher: update() any number of times, then digest(encoding). */
export class Hasher {
  private chunks: Uint8Array[] = [];

  constructor(
    private readonly alg: string,
    private readonly key: Uint8Array | null,
  ) {}

  update(input: unknown): void {
    this.chunks.push(toBytes(input, `${this.key ? 'hmac' : 'hash'} update()`));
  }

  digest(outputEncoding: unknown): string | ArrayBuffer {
    const all = Buffer.concat(this.chunks);
    let sum: Uint8Array;
    if (this.alg === 'md4') sum = this.key ? md4Hmac(this.key, all) : md4(all);
    else if (this.key) sum = nodeHmac(this.alg, this.key).update(all).digest();
    else sum = nodeHash(this.alg).update(all).digest();
    return encode(sum, outputEncoding);
  }
}

export function createHash(alg: unknown): Hasher {
  return new Hasher(algorithm(alg, 'createHash'), null);
}

export function createHMAC(alg: unknown, key: unknown): Hasher {
  return new Hasher(algorithm(alg, 'createHMAC'), toBytes(key, 'createHMAC key'));
}

export function hmac(alg: unknown, key: unknown, input: unknown, outputEncoding: unknown): string | ArrayBuffer {
  const h = createHMAC(alg, key);
  h.update(input);
  return h.digest(outputEncoding);
}

const digestWith =
  (name: string) =>
  (input: unknown, outputEncoding: unknown): string | ArrayBuffer => {
    const h = new Hasher(ALGORITHMS[name]!, null);
    h.update(input);
    return h.digest(outputEncoding);
  };

export const md4Hash = digestWith('md4');
export const md5 = digestWith('md5');
export const sha1 = digestWith('sha1');
export const sha256 = digestWith('sha256');
export const sha384 = digestWith('sha384');
export const sha512 = digestWith('sha512');
export const sha512_224 = digestWith('sha512_224');
export const sha512_256 = digestWith('sha512_256');
export const ripemd160 = digestWith('ripemd160');
export { md4Hash as md4 };

/** Random bytes from the OS's CSPRNG in a new ArrayBuffer; size must be a positive integer. */
export function randomBytes(size: unknown): ArrayBuffer {
  const n = Number(size);
  if (!Number.isInteger(n) || n < 1) throw new Error(`randomBytes: invalid size ${String(size)} (a positive integer)`);
  const out = new ArrayBuffer(n);
  randomFillSync(new Uint8Array(out));
  return out;
}

/** Hex of a string's UTF-8 bytes or an ArrayBuffer. */
export function hexEncode(data: unknown): string {
  return Buffer.from(toBytes(data, 'hexEncode')).toString('hex');
}

export default {
  createHash,
  createHMAC,
  hmac,
  md4: md4Hash,
  md5,
  randomBytes,
  ripemd160,
  sha1,
  sha256,
  sha384,
  sha512,
  sha512_224,
  sha512_256,
  hexEncode,
};
