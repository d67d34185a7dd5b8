import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/http.ts';
import { authStore } from '../../../shared/storage/auth-store.ts';
import { clearOfflineData } from '../../../shared/sw/offline-cache.ts';

export const logout = (): Promise<void> => apiRequest<void>('/api/auth/logout', { method: 'POST' });

/** Ends the session and forgets every trace of the user's data in this browser. */
export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: async () => {
      authStore.clear();
      queryClient.clear();
      await clearOfflineData();
    },
  });
}
