import { z } from 'zod';
import type { Redis } from 'ioredis';
import { redisReady } from '../../cache/redis.ts';
import { HttpError, unavailable } from '../../http/errors.ts';
import type { LoginLimit } from '../../sessions/login-limit.ts';
import { DUMMY_HASH_PROMISE, verifyPassword } from '../../sessions/passwords.ts';
import type { SessionStore } from '../../sessions/session-store.ts';
import type { User } from '../profile/repository.ts';
import { toUser } from '../profile/repository.ts';
import type { AuthRepository } from './repository.ts';

export const loginSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
});

export class AuthService {
  constructor(
    private readonly repo: AuthRepository,
    private readonly sessions: SessionStore,
    private readonly limit: LoginLimit,
    private readonly redis: Redis,
  ) {}

  /** Checks credentials and opens a session; needs Redis (503 SESSIONS_UNAVAILABLE without it). */
  async login(email: string, password: string, ip: string): Promise<{ sid: string; user: User }> {
    if (!redisReady(this.redis)) throw unavailable('SESSIONS_UNAVAILABLE', 'sign-in is temporarily unavailable', 5);
    await this.guard(() => this.limit.check(ip, email));
    const row = await this.repo.byEmail(email);
    // Unknown emails still cost one scrypt so response time does not reveal which accounts exist.
    const ok = await verifyPassword(password, row?.password_hash ?? (await DUMMY_HASH_PROMISE));
    if (!row || !ok) {
      await this.guard(() => this.limit.fail(ip, email));
      throw new HttpError(401, 'INVALID_CREDENTIALS', 'email or password is wrong');
    }
    await this.guard(() => this.limit.succeed(ip, email));
    const sid = await this.sessions.create({
      userId: row.id,
      businessId: row.business_id,
      role: row.role,
      createdAt: Date.now(),
    });
    return { sid, user: toUser(row) };
  }

  logout(sid: string): Promise<void> {
    return this.sessions.destroy(sid);
  }

  /** A Redis failure mid-login means sessions are unavailable, not a server bug. */
  private async guard(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw unavailable('SESSIONS_UNAVAILABLE', 'sign-in is temporarily unavailable', 5, err);
    }
  }
}
