import { useSyncExternalStore } from 'react';
import { createVersionedStore } from './versioned-store.ts';
import { isFiniteNumber, isOneOf, isRecord } from './validate.ts';

/**
 * Who is logged in, for rendering before /api/auth/me answers and offline.
 * Never the session secret: that lives in the HttpOnly `sid` cookie only.
 */
export interface AuthUser {
  id: number;
  email: string;
  displayName: string;
  role: 'owner' | 'admin' | 'viewer' | 'platform_admin';
  businessId: number;
  businessName: string;
}

export interface AuthState {
  user: AuthUser;
  /** epoch ms of the login, to tell how old the stored identity is. */
  since: number;
}

const ROLES = ['owner', 'admin', 'viewer', 'platform_admin'] as const;

export function parseUser(raw: unknown): AuthUser | null {
  if (!isRecord(raw)) return null;
  const { id, email, displayName, role, businessId, businessName } = raw;
  if (!isFiniteNumber(id) || !isFiniteNumber(businessId) || !isOneOf(role, ROLES)) return null;
  if (typeof email !== 'string' || typeof displayName !== 'string' || typeof businessName !== 'string') return null;
  return { id, email, displayName, role, businessId, businessName };
}

export function parseAuthState(raw: unknown): AuthState | null {
  if (!isRecord(raw) || !isFiniteNumber(raw.since)) return null;
  const user = parseUser(raw.user);
  return user ? { user, since: raw.since } : null;
}

export const authStore = createVersionedStore<AuthState | null>({
  key: 'perfkit.auth',
  version: 1,
  validate: parseAuthState,
  fallback: null,
});

export function useAuth(): AuthState | null {
  return useSyncExternalStore(authStore.subscribe, authStore.get, () => null);
}
