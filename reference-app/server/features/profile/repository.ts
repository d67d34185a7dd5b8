import type { Database, Scope } from '../../db/database.ts';

/** The user as the API shows it. */
export interface User {
  id: number;
  email: string;
  displayName: string;
  role: string;
  businessId: number;
  businessName: string;
}

export interface UserRow {
  id: number;
  email: string;
  display_name: string;
  role: string;
  business_id: number;
  business_name: string;
  preferences: Record<string, unknown>;
}

const USER_COLUMNS = `u.id, u.email, u.display_name, u.role, u.business_id, b.name AS business_name, u.preferences`;

export const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  businessId: r.business_id,
  businessName: r.business_name,
});

export class ProfileRepository {
  constructor(private readonly db: Database) {}

  /** A signed-in user exists: when the replica does not have them yet (a brand-new account), ask the primary. */
  async byId(scope: Scope, userId: number): Promise<UserRow | undefined> {
    const sql = `SELECT ${USER_COLUMNS} FROM users u JOIN businesses b ON b.id = u.business_id WHERE u.id = $1`;
    const rows = await this.db.read<UserRow>(scope, sql, [userId]);
    return rows[0] ?? (await this.db.readLatest<UserRow>(sql, [userId]))[0];
  }

  /** Updates only the signed-in user's own row (preferences merged key by key, atomically); returns the new row. */
  async update(
    scope: Scope,
    userId: number,
    displayName: string | undefined,
    preferences: Record<string, unknown> | undefined,
  ): Promise<UserRow | undefined> {
    return this.db.write(scope, async (tx) => {
      const r = await tx.query<UserRow>(
        `UPDATE users u SET display_name = COALESCE($2, u.display_name),
                preferences = CASE WHEN $3::jsonb IS NULL THEN u.preferences ELSE u.preferences || $3::jsonb END,
                updated_at = now()
           FROM businesses b
          WHERE u.id = $1 AND b.id = u.business_id
          RETURNING ${USER_COLUMNS}`,
        [userId, displayName ?? null, preferences === undefined ? null : JSON.stringify(preferences)],
      );
      return r.rows[0];
    });
  }
}
