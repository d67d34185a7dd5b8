/** Name of the service worker's cache of API answers; shared so logout can empty it. */
export const API_CACHE_NAME = 'perfkit-api-v1';

/** Removes cached API answers so the next account on this browser never sees them offline. */
export async function clearOfflineData(): Promise<void> {
  if (typeof caches === 'undefined') return;
  try {
    await caches.delete(API_CACHE_NAME);
  } catch {
    // CacheStorage can be unavailable (private mode); nothing was cached then.
  }
}
