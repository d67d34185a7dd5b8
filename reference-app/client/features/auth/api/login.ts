import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/http.ts';
import type { AuthUser } from '../../../shared/storage/auth-store.ts';
import { authStore } from '../../../shared/storage/auth-store.ts';
import { meQueryKey } from './get-me.ts';

export interface Credentials {
  email: string;
  password: string;
}

export const login = (credentials: Credentials): Promise<{ user: AuthUser }> =>
  apiRequest<{ user: AuthUser }>('/api/auth/login', { method: 'POST', body: credentials });

/** Logs in, then remembers who is logged in (not the session, which is an HttpOnly cookie). */
export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: ({ user }) => {
      // Another account may have used this browser: drop everything cached for it.
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, { user });
      authStore.set({ user, since: Date.now() });
    },
  });
}
