/** k6/encoding against RFC 4648's vectors and Go's alphabet rules (std, rawstd, url, rawurl). */
import { describe, expect, it } from 'vitest';
import { b64decode, b64encode } from './k6-encoding.ts';

const bytes = (...b: number[]): ArrayBuffer => new Uint8Array(b).buffer;
const asArray = (buf: ArrayBuffer | string): number[] => [...new Uint8Array(buf as ArrayBuffer)];

describe('b64encode', () => {
  it('gives RFC 4648 section 10 vectors in std, padding dropped in rawstd', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, std] of vectors) {
      expect(b64encode(plain, 'std')).toBe(std);
      expect(b64encode(plain)).toBe(std);
      expect(b64encode(plain, 'rawstd')).toBe(std.replace(/=+$/, ''));
    }
  });

  it('uses - and _ in the url alphabets, url keeping the padding', () => {
    const input = bytes(0xfb, 0xff);
    expect(b64encode(input, 'std')).toBe('+/8=');
    expect(b64encode(input, 'url')).toBe('-_8=');
    expect(b64encode(input, 'rawurl')).toBe('-_8');
    expect(b64encode(new Uint8Array([0xfb, 0xff]), 'url')).toBe('-_8=');
  });

  it('encodes strings as UTF-8 and treats an unknown alphabet as std', () => {
    expect(b64encode('✓', 'std')).toBe('4pyT');
    expect(b64encode('fo', 'nonsense')).toBe('Zm8=');
  });

  it('refuses inputs that are neither strings nor binary', () => {
    expect(() => b64encode(42 as unknown as string)).toThrow(/b64encode: invalid input \(number\)/);
  });
});

describe('b64decode', () => {
  it('gives an ArrayBuffer, or a string with format "s"', () => {
    const buf = b64decode('Zm9vYmFy');
    expect(Object.prototype.toString.call(buf)).toBe('[object ArrayBuffer]');
    expect(asArray(buf)).toEqual([...Buffer.from('foobar')]);
    expect(b64decode('4pyTIQ==', 'std', 's')).toBe('✓!');
    expect(asArray(b64decode('-_8', 'rawurl'))).toEqual([0xfb, 0xff]);
    expect(asArray(b64decode('-_8=', 'url'))).toEqual([0xfb, 0xff]);
  });

  it('is strict about each alphabet, as Go is', () => {
    expect(() => b64decode('Zm8', 'std')).toThrow(/not valid base64 in the "std" alphabet/);
    expect(() => b64decode('Zm8=', 'rawstd')).toThrow(/"rawstd"/);
    expect(() => b64decode('-_8=', 'std')).toThrow(/"std"/);
    expect(() => b64decode('+/8=', 'url')).toThrow(/"url"/);
    expect(() => b64decode('Z', 'rawstd')).toThrow(/"rawstd"/);
  });
});
