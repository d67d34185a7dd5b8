/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { ExpirationPlugin } from 'workbox-expiration';
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import type { WorkboxPlugin } from 'workbox-core';
import type { PrecacheEntry } from 'workbox-precaching';
import { API_CACHE_NAME } from '../shared/sw/offline-cache.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };

/**
 * Hands precached scripts to the page as new responses with the same body and
 * headers. Chromium compiles every script a worker stores while it installs
 * and keeps that code next to the cache entry; a page given the stored
 * response then loads all of it on the main thread before running the script
 * (about 85 ms for the React chunk on a 2-core machine, more than compiling
 * it as the page goes). A new response carries no stored code: the page
 * compiles as on a first visit, mostly off the main thread and only what runs.
 */
const scriptsWithoutStoredCode: WorkboxPlugin = {
  cachedResponseWillBeUsed: async ({ cachedResponse, request }) => {
    if (!cachedResponse || !new URL(request.url).pathname.endsWith('.js')) return cachedResponse;
    const { status, statusText, headers } = cachedResponse;
    return new Response(cachedResponse.body, { status, statusText, headers });
  },
};
addPlugins([scriptsWithoutStoredCode]);

// The app shell: index.html and every hashed script of this build (the list is injected by InjectManifest).
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Every app URL (client-side routes) opens from the precached shell, also offline.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    denylist: [/^\/api\//, /^\/metrics$/, /^\/healthz/, /^\/readyz/],
  }),
);

/** Marks answers that come from this cache, so the page can say it is showing saved data. */
const markFallback: WorkboxPlugin = {
  cachedResponseWillBeUsed: async ({ cachedResponse }) => {
    if (!cachedResponse) return cachedResponse;
    const headers = new Headers(cachedResponse.headers);
    headers.set('X-SW-Fallback', '1');
    return new Response(await cachedResponse.blob(), {
      status: cachedResponse.status,
      statusText: cachedResponse.statusText,
      headers,
    });
  },
};

// Dashboard data: always try the network first (fresh numbers), fall back to the
// last good answer after 3 s or when the network fails. Only 200s are kept:
// a 401 must never be replayed as if it were data.
const dashboardData = /^\/api\/(dashboard|auth\/me|profile|external\/rates)$/;
registerRoute(
  ({ url, request }) =>
    url.origin === self.location.origin && request.method === 'GET' && dashboardData.test(url.pathname),
  new NetworkFirst({
    cacheName: API_CACHE_NAME,
    networkTimeoutSeconds: 3,
    plugins: [
      new CacheableResponsePlugin({ statuses: [200] }),
      new ExpirationPlugin({ maxEntries: 20, maxAgeSeconds: 7 * 24 * 3600 }),
      markFallback,
    ],
  }),
);

// First install takes control at once (there is no older version to disagree with);
// an update waits until the user accepts the reload, see SKIP_WAITING below.
clientsClaim();

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
