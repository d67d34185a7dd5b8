/** PostgreSQL WAL positions ("16/B374D848") as bigints so they can be compared and subtracted. */
export function parseLsn(text: string | null | undefined): bigint | null {
  if (!text) return null;
  const m = /^([0-9A-Fa-f]+)\/([0-9A-Fa-f]+)$/.exec(text.trim());
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  return (BigInt('0x' + m[1]) << 32n) + BigInt('0x' + m[2]);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}
