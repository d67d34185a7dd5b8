/** k6/crypto against published vectors (RFC 1320, FIPS 180, RFC 4231, RIPEMD-160's authors) and k6's encodings. */
import { describe, expect, it } from 'vitest';
import crypto from './k6-crypto.ts';
import { md4 } from './md4.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('md4 (RFC 1320 appendix A.5)', () => {
  it('matches the RFC test suite', () => {
    const suite: Array<[string, string]> = [
      ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
      ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
      ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
      ['message digest', 'd9130a8164549fe818874806e1c7014b'],
      ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
      ['1234567890'.repeat(8), 'e33b4ddc9c38f2199c3e7b164fcc0536'],
    ];
    for (const [input, digest] of suite) expect(hex(md4(new TextEncoder().encode(input))), input).toBe(digest);
    expect(crypto.md4('abc', 'hex')).toBe('a448017aaf21d8525fc10ae87aa6729d');
  });
});

describe('digests of "abc"', () => {
  it('gives the FIPS 180 / RIPEMD-160 vectors for every algorithm k6 names', () => {
    expect(crypto.md5('abc', 'hex')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(crypto.sha1('abc', 'hex')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(crypto.sha256('abc', 'hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(crypto.sha384('abc', 'hex')).toBe(
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    );
    expect(crypto.sha512('abc', 'hex')).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
    expect(crypto.sha512_224('abc', 'hex')).toBe('4634270f707b6a54daae7530460842e20e37ed265ceee9a43e8924aa');
    expect(crypto.sha512_256('abc', 'hex')).toBe('53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23');
    expect(crypto.ripemd160('abc', 'hex')).toBe('8eb208f7e05d987a9b044a8e98c6b087f15a0bfc');
  });

  it('encodes as k6 does: base64url keeps the padding, base64rawurl drops it, binary is an ArrayBuffer', () => {
    // md5("abc") = 90 01 50 98 3c d2 4f b0 d6 96 3f 7d 28 e1 7f 72
    expect(crypto.md5('abc', 'base64')).toBe('kAFQmDzST7DWlj99KOF/cg==');
    expect(crypto.md5('abc', 'base64url')).toBe('kAFQmDzST7DWlj99KOF_cg==');
    expect(crypto.md5('abc', 'base64rawurl')).toBe('kAFQmDzST7DWlj99KOF_cg');
    const bin = crypto.md5('abc', 'binary') as ArrayBuffer;
    expect(Object.prototype.toString.call(bin)).toBe('[object ArrayBuffer]');
    expect(hex(new Uint8Array(bin))).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(() => crypto.md5('abc', 'base32')).toThrow(/invalid output encoding: base32/);
  });

  it('takes an ArrayBuffer as the same bytes as a string', () => {
    expect(crypto.sha1(new Uint8Array([0x61, 0x62, 0x63]).buffer, 'hex')).toBe(crypto.sha1('abc', 'hex'));
  });
});

describe('hmac, createHash, createHMAC, randomBytes', () => {
  it('HMAC-SHA256 of RFC 4231 test case 2, one-shot and incremental', () => {
    const expected = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
    expect(crypto.hmac('sha256', 'Jefe', 'what do ya want for nothing?', 'hex')).toBe(expected);
    const h = crypto.createHMAC('sha256', 'Jefe');
    h.update('what do ya ');
    h.update('want for nothing?');
    expect(h.digest('hex')).toBe(expected);
  });

  it('HMAC-MD5 of RFC 2104 test vector 2 (and HMAC-MD4 built the same way agrees with its definition)', () => {
    expect(crypto.hmac('md5', 'Jefe', 'what do ya want for nothing?', 'hex')).toBe('750c783e6ab0b503eaa86e310a5db738');
    const key = new TextEncoder().encode('Jefe');
    const block = new Uint8Array(64).map((_, i) => (key[i] ?? 0) ^ 0x36);
    const outer = new Uint8Array(64).map((_, i) => (key[i] ?? 0) ^ 0x5c);
    const inner = md4(new Uint8Array([...block, ...new TextEncoder().encode('msg')]));
    expect(crypto.hmac('md4', 'Jefe', 'msg', 'hex')).toBe(hex(md4(new Uint8Array([...outer, ...inner]))));
  });

  it('createHash over several updates equals the one-shot digest', () => {
    const h = crypto.createHash('sha512_256');
    h.update('a');
    h.update('bc');
    expect(h.digest('hex')).toBe(crypto.sha512_256('abc', 'hex'));
  });

  it('names the supported algorithms when given another', () => {
    expect(() => crypto.createHash('sha3')).toThrow(/invalid algorithm "sha3"; k6\/crypto supports md4, md5/);
    expect(() => crypto.hmac('whirlpool', 'k', 'x', 'hex')).toThrow(/createHMAC: invalid algorithm/);
  });

  it('randomBytes gives a fresh ArrayBuffer of the asked size and refuses sizes below 1', () => {
    const a = crypto.randomBytes(32);
    const b = crypto.randomBytes(32);
    expect(Object.prototype.toString.call(a)).toBe('[object ArrayBuffer]');
    expect(a.byteLength).toBe(32);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(() => crypto.randomBytes(0)).toThrow(/invalid size 0/);
  });

  it('hexEncode', () => {
    expect(crypto.hexEncode(new Uint8Array([0, 15, 255]).buffer)).toBe('000fff');
    expect(crypto.hexEncode('k6')).toBe('6b36');
  });
});
