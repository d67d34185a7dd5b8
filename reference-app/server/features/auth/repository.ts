import type { Database } from '../../db/database.ts';
import type { UserRow } from '../profile/repository.ts';

export interface CredentialRow extends UserRow {
  password_hash: string;
}

export class AuthRepository {
  constructor(private readonly db: Database) {}

  /** From the replica; an unknown email is re-checked on the primary, since the account may be newer than the replica. */
  async byEmail(email: string): Promise<CredentialRow | undefined> {
    const rows = await this.db.read<CredentialRow>({}, BY_EMAIL, [email]);
    return rows[0] ?? (await this.db.readLatest<CredentialRow>(BY_EMAIL, [email]))[0];
  }
}

const BY_EMAIL = `SELECT u.id, u.email, u.display_name, u.role, u.business_id, b.name AS business_name, u.preferences, u.password_hash
         FROM users u JOIN businesses b ON b.id = u.business_id
        WHERE u.email = $1`;
