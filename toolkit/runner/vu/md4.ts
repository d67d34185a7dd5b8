/**
 * MD4 (RFC 1320). k6/crypto offers it for old protocols (NTLM); OpenSSL 3, and so Node, no longer
 * does without its legacy provider, so it is computed here.
 */
const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

function pad(message: Uint8Array): DataView {
  const length = Math.ceil((message.length + 9) / 64) * 64;
  const bytes = new Uint8Array(length);
  bytes.set(message);
  bytes[message.length] = 0x80;
  const view = new DataView(bytes.buffer);
  const bits = message.length * 8;
  view.setUint32(length - 8, bits >>> 0, true);
  view.setUint32(length - 4, Math.floor(bits / 2 ** 32), true);
  return view;
}

const F = (x: number, y: number, z: number): number => (x & y) | (~x & z);
const G = (x: number, y: number, z: number): number => (x & y) | (x & z) | (y & z);
const H = (x: number, y: number, z: number): number => x ^ y ^ z;
const ROUND2 = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
const ROUND3 = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];
const SHIFTS = [
  [3, 7, 11, 19],
  [3, 5, 9, 13],
  [3, 9, 11, 15],
];

/** The 16-byte MD4 digest of `message`. */
export function md4(message: Uint8Array): Uint8Array {
  const view = pad(message);
  const state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const x = new Array<number>(16);
  for (let block = 0; block < view.byteLength; block += 64) {
    for (let i = 0; i < 16; i++) x[i] = view.getUint32(block + i * 4, true);
    const s = [...state] as [number, number, number, number];
    const rounds: Array<[(a: number, b: number, c: number) => number, number[], number]> = [
      [F, [...Array(16).keys()], 0],
      [G, ROUND2, 0x5a827999],
      [H, ROUND3, 0x6ed9eba1],
    ];
    rounds.forEach(([fn, order, k], r) => {
      order.forEach((idx, step) => {
        const [a, b, c, d] = [s[(16 - step) % 4]!, s[(17 - step) % 4]!, s[(18 - step) % 4]!, s[(19 - step) % 4]!];
        s[(16 - step) % 4] = rotl((a + fn(b, c, d) + x[idx]! + k) | 0, SHIFTS[r]![step % 4]!);
      });
    });
    for (let i = 0; i < 4; i++) state[i] = (state[i]! + s[i]!) | 0;
  }
  const out = new Uint8Array(16);
  const outView = new DataView(out.buffer);
  state.forEach((v, i) => outView.setUint32(i * 4, v >>> 0, true));
  return out;
}
