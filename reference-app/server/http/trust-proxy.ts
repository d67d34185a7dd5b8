import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1 and IPv4-mapped 127.x (as a dual-stack socket reports it). */
export function isLoopbackAddress(addr: string): boolean {
  const v4 = addr.startsWith('::ffff:') ? addr.slice(7) : addr;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return addr === '::1' || addr === '0:0:0:0:0:0:0:1';
}

/**
 * Express's `trust proxy` for one proxy on loopback (the rig's nginx): the
 * socket's peer is trusted when it is loopback, and nothing beyond it, so the
 * client address is the last X-Forwarded-For entry, the one nginx appended;
 * entries a client wrote itself never count.
 */
export const trustLoopbackProxy = (addr: string, hop: number): boolean => hop === 0 && isLoopbackAddress(addr);
