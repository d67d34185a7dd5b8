/** Where a request's origin connects, parsed once per thread: every VU of a test asks for the same few. */
export interface Target {
  host: string;
  port: number;
  tls: boolean;
  /** The Host header line for this origin (host[:port] as in the URL). */
  hostLine: string;
}

const targets = new Map<string, Target>();

export function targetOf(origin: string): Target {
  let t = targets.get(origin);
  if (!t) {
    const u = new URL(origin);
    const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    const tls = u.protocol === 'https:';
    t = { host, port: Number(u.port || (tls ? 443 : 80)), tls, hostLine: `Host: ${u.host}\r\n` };
    if (targets.size < 1000) targets.set(origin, t);
  }
  return t;
}
