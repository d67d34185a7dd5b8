import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMe } from '../features/auth/api/get-me.ts';
import { useAuth } from '../shared/storage/auth-store.ts';

/**
 * Renders at once for a remembered user (no wait for /api/auth/me, and it
 * works offline); the session is checked in the background and a 401 clears
 * the remembered user, which sends this tab, and every other, to the login.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const auth = useAuth();
  const location = useLocation();
  useMe(auth !== null);
  if (!auth) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return children;
}
