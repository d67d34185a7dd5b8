import { Workbox } from 'workbox-window';
import { updateStore } from './update-store.ts';

/**
 * Registers /sw.js. A new build's worker waits instead of taking over, so a
 * page never runs against a cache from another build; the user is offered a
 * reload, and only that click sends SKIP_WAITING.
 */
export function registerServiceWorker(url = '/sw.js'): void {
  if (!('serviceWorker' in navigator)) return;
  const wb = new Workbox(url);
  wb.addEventListener('waiting', () => {
    updateStore.offer(() => {
      wb.addEventListener('controlling', () => window.location.reload());
      wb.messageSkipWaiting();
    });
  });
  wb.register().catch(() => undefined);
}
