import { z } from 'zod';
import type { ResponseCache, CacheResult } from '../../cache/response-cache.ts';
import type { Invalidation } from '../../cache/invalidation.ts';
import { responseKeys, scopes } from '../../cache/keys.ts';
import { notFound } from '../../http/errors.ts';
import type { ProfileRepository, User, UserRow } from './repository.ts';
import { toUser } from './repository.ts';

export const preferencesSchema = z.object({
  theme: z.enum(['light', 'dark', 'system']),
  defaultRange: z.enum(['24h', '7d', '30d']),
  favoriteMetrics: z.array(z.string().min(1).max(64)).max(20),
  version: z.literal(1),
});
export type Preferences = z.infer<typeof preferencesSchema>;

export const DEFAULT_PREFERENCES: Preferences = {
  theme: 'system',
  defaultRange: '24h',
  favoriteMetrics: [],
  version: 1,
};

export const profilePatchSchema = z.strictObject({
  displayName: z.string().trim().min(1).max(100).optional(),
  preferences: preferencesSchema
    .omit({ version: true })
    .partial()
    .extend({ version: z.literal(1).optional() })
    .strict()
    .optional(),
});
export type ProfilePatch = z.infer<typeof profilePatchSchema>;

/** Stored preferences may predate a field: fill gaps with defaults, drop what no longer validates. */
export function readPreferences(stored: Record<string, unknown>): Preferences {
  const merged = { ...DEFAULT_PREFERENCES, ...stored, version: 1 };
  const r = preferencesSchema.safeParse(merged);
  return r.success ? r.data : DEFAULT_PREFERENCES;
}

export class ProfileService {
  constructor(
    private readonly repo: ProfileRepository,
    private readonly cache: ResponseCache,
    private readonly invalidation: Invalidation,
  ) {}

  /** `{ user, preferences }` for the signed-in user, cached as userData. */
  profile(userId: number): Promise<CacheResult> {
    const key = responseKeys.profile({ userId });
    return this.cache.get(key.scope, key.name, async () => {
      const row = await this.load(userId);
      return { user: toUser(row), preferences: readPreferences(row.preferences) };
    });
  }

  /** `{ user }` for /api/auth/me, cached as userData. */
  me(userId: number): Promise<CacheResult> {
    const key = responseKeys.me({ userId });
    return this.cache.get(key.scope, key.name, async () => ({ user: toUser(await this.load(userId)) }));
  }

  async update(userId: number, patch: ProfilePatch): Promise<{ user: User; preferences: Preferences }> {
    const preferences = patch.preferences ? { ...patch.preferences, version: 1 } : undefined;
    // Scoped to the user only: a profile is nobody else's read, so colleagues keep reading from the replica.
    const row = await this.repo.update({ userId }, userId, patch.displayName, preferences);
    if (!row) throw notFound('USER_NOT_FOUND', 'the signed-in user no longer exists');
    await this.invalidation.invalidate(scopes.userData(userId));
    return { user: toUser(row), preferences: readPreferences(row.preferences) };
  }

  private async load(userId: number): Promise<UserRow> {
    const row = await this.repo.byId({ userId }, userId);
    if (!row) throw notFound('USER_NOT_FOUND', 'the signed-in user no longer exists');
    return row;
  }
}
