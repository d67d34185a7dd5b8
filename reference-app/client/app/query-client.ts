import { QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../shared/api/http.ts';
import { authStore } from '../shared/storage/auth-store.ts';

/** Retries only what can succeed on retry: network failures and 5xx, twice at most. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return (error.status === 0 || error.status >= 500) && failureCount < 2;
}

export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        // A remembered user's session ended (expired, logged out elsewhere): forget
        // them so the app shows the login. Nobody remembered: nothing to undo.
        if (error instanceof ApiError && error.status === 401 && authStore.get() !== null) {
          authStore.clear();
          queryClient.clear();
        }
      },
    }),
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        refetchOnWindowFocus: true,
        // "offlineFirst": run the request even when the browser says offline, so the
        // service worker can answer from its cache instead of the query pausing.
        networkMode: 'offlineFirst',
      },
      mutations: { networkMode: 'offlineFirst', retry: false },
    },
  });
  return queryClient;
}
