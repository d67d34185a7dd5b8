import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMe } from '../features/auth/api/get-me.ts';
import { ApiError } from '../shared/api/http.ts';
import { authStore, useAuth } from '../shared/storage/auth-store.ts';

/**
 * Renders at once for a remembered user (no wait for /api/auth/me, and it
 * works offline); the session is checked in the background and a 401 clears
 * the remembered user, which sends this tab, and every other, to the login.
 * Without a remembered user (first visit, cleared storage) the session cookie
 * may still be valid: /api/auth/me decides.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const auth = useAuth();
  const location = useLocation();
  const me = useMe();
  const sessionUser = me.data?.user;
  // Once someone was logged in here, losing the stored user means a logout (maybe in
  // another tab): an answer of /api/auth/me cached before it must not keep the page open.
  const hadUser = useRef(auth !== null);
  if (auth) hadUser.current = true;
  const adoptSession = !auth && !hadUser.current && sessionUser !== undefined;

  useEffect(() => {
    if (adoptSession && sessionUser) authStore.set({ user: sessionUser, since: Date.now() });
  }, [adoptSession, sessionUser]);

  if (auth || adoptSession) return children;
  if (hadUser.current) return <Navigate to="/login" replace />;
  const unauthenticated = me.error instanceof ApiError && me.error.status === 401;
  if (me.isPending || (me.isFetching && !unauthenticated)) return <div className="page-loading" aria-busy="true" />;
  const next = encodeURIComponent(location.pathname + location.search);
  return <Navigate to={`/login?next=${next}`} replace />;
}
