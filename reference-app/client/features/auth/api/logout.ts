import type { QueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/http.ts';
import { authStore } from '../../../shared/storage/auth-store.ts';
import { clearOfflineData } from '../../../shared/sw/offline-cache.ts';

export const logout = (): Promise<void> => apiRequest<void>('/api/auth/logout', { method: 'POST' });

/**
 * Ends the session and forgets every trace of the user's data in this browser, whether or not
 * the server could be told. A plain function rather than a mutation hook: the shell loads it
 * only when someone signs out, so neither it nor React Query's mutation code is in the
 * JavaScript every page starts with.
 */
export async function signOut(queryClient: QueryClient): Promise<void> {
  try {
    await logout();
  } finally {
    authStore.clear();
    queryClient.clear();
    await clearOfflineData();
  }
}
