import type { Redis } from 'ioredis';
import type { LoginLimitConfig } from '../config.ts';
import { loginLimitKeys } from '../cache/keys.ts';
import { LOGIN_FAILURE } from '../cache/scripts.ts';
import { HttpError } from '../http/errors.ts';

/**
 * Failed sign-ins counted in Redis (so every instance applies the same limits)
 * per address + account, per account across addresses and per address across
 * accounts. Over a limit the failing side backs off exponentially instead of
 * being locked out for a fixed time, and only addresses that failed themselves
 * are ever held back on an account: the right password from anywhere else
 * always gets through. Only failures count, so load tests that sign in many
 * accounts from 127.0.0.1 are never throttled.
 */
export class LoginLimit {
  constructor(
    private readonly redis: Redis,
    private readonly opts: LoginLimitConfig,
  ) {}

  /** Throws 429 with Retry-After while the address, or the address on this account, is backing off. */
  async check(ip: string, email: string): Promise<void> {
    const keys = loginLimitKeys(ip, email);
    const replies = (await this.redis.multi().pttl(keys.ipBlock).pttl(keys.pairBlock).exec()) ?? [];
    const waitMs = Math.max(0, ...replies.map(([err, ms]) => (err ? 0 : Number(ms))));
    if (waitMs > 0) {
      throw new HttpError(429, 'RATE_LIMITED', 'too many failed sign-ins, try again later', {
        headers: { 'Retry-After': String(Math.ceil(waitMs / 1000)) },
      });
    }
  }

  async fail(ip: string, email: string): Promise<void> {
    const k = loginLimitKeys(ip, email);
    const o = this.opts;
    await this.redis.eval(
      LOGIN_FAILURE,
      5,
      k.ipFailures,
      k.pairFailures,
      k.accountFailures,
      k.ipBlock,
      k.pairBlock,
      o.windowS,
      o.ipMaxFailures,
      o.maxFailures,
      o.accountMaxFailures,
      o.backoffBaseMs,
      o.backoffMaxMs,
    );
  }

  /** The pair starts afresh; the address's and the account's counts stay (an attacker's one hit clears nothing). */
  async succeed(ip: string, email: string): Promise<void> {
    const k = loginLimitKeys(ip, email);
    await this.redis.del(k.pairFailures, k.pairBlock);
  }
}
