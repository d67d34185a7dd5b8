import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/http.ts';
import { QUERY_ROOTS } from '../../../shared/query/cache-config.ts';
import type { Preferences } from '../../../shared/storage/preferences-store.ts';
import { preferencesStore } from '../../../shared/storage/preferences-store.ts';
import type { Profile } from './get-profile.ts';

export interface ProfileUpdate {
  displayName?: string;
  preferences?: Preferences;
}

export const updateProfile = (update: ProfileUpdate): Promise<Profile> =>
  apiRequest<Profile>('/api/profile', { method: 'PATCH', body: update });

/**
 * Preferences are applied locally at once (and survive reloads through
 * localStorage); the server copy follows. A profile update invalidates the
 * user's userData on the server, so every user query is invalidated here.
 */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateProfile,
    onMutate: (update) => {
      if (update.preferences) preferencesStore.set(update.preferences);
    },
    onSuccess: (profile) => {
      preferencesStore.set(profile.preferences);
      return queryClient.invalidateQueries({ queryKey: [QUERY_ROOTS.userData] });
    },
  });
}

/**
 * The same update without a mutation hook, for pages that only fire and forget (the dashboard's
 * favourites): they load it when the user first changes something, so React Query's mutation
 * code is not part of the JavaScript the dashboard starts with.
 */
export async function savePreferences(queryClient: QueryClient, preferences: Preferences): Promise<void> {
  preferencesStore.set(preferences);
  const profile = await updateProfile({ preferences });
  preferencesStore.set(profile.preferences);
  await queryClient.invalidateQueries({ queryKey: [QUERY_ROOTS.userData] });
}
