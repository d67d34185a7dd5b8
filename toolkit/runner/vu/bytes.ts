/** Byte inputs as k6's modules take them (a string as UTF-8, an ArrayBuffer or a view on one) and ArrayBuffer outputs. */

/** The bytes of a string (UTF-8), an ArrayBuffer or a typed array / DataView; anything else is a TypeError naming `where`. */
export function toBytes(input: unknown, where: string): Uint8Array {
  if (typeof input === 'string') return new TextEncoder().encode(input);
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const got = input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input;
  throw new TypeError(`${where}: invalid input (${got}); it needs to be a string or an ArrayBuffer`);
}

/** A fresh ArrayBuffer holding exactly these bytes (not a view on a larger pooled buffer). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}
