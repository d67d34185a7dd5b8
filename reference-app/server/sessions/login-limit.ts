import type { Redis } from 'ioredis';
import { loginLimitKey } from '../cache/keys.ts';
import { HttpError } from '../http/errors.ts';

/**
 * Failed sign-ins counted per IP + email in Redis over a window. Only failures
 * count, so a load test signing in repeatedly as the same seeded user is fine.
 */
export class LoginLimit {
  constructor(
    private readonly redis: Redis,
    private readonly opts: { maxFailures: number; windowS: number },
  ) {}

  /** Throws 429 with Retry-After when the IP + email pair is over the limit. */
  async check(ip: string, email: string): Promise<void> {
    const key = loginLimitKey(ip, email);
    const [count, ttl] = await Promise.all([this.redis.get(key), this.redis.ttl(key)]);
    if (Number(count ?? 0) >= this.opts.maxFailures) {
      const retry = ttl > 0 ? ttl : this.opts.windowS;
      throw new HttpError(429, 'RATE_LIMITED', 'too many failed sign-ins, try again later', {
        headers: { 'Retry-After': String(retry) },
      });
    }
  }

  async fail(ip: string, email: string): Promise<void> {
    const key = loginLimitKey(ip, email);
    const n = await this.redis.incr(key);
    if (n === 1) await this.redis.expire(key, this.opts.windowS);
  }

  async succeed(ip: string, email: string): Promise<void> {
    await this.redis.del(loginLimitKey(ip, email));
  }
}
