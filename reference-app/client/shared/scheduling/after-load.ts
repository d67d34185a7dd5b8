/**
 * Runs `task` once the page has loaded and the main thread is idle, or after
 * `timeout` ms of waiting for idle at the latest: for work the first screen
 * does not need (service-worker registration, web vitals), so it neither
 * competes with nor lengthens the tasks that show the page.
 */
export function afterLoadWhenIdle(task: () => void, timeout = 3_000): void {
  const whenIdle = (): void => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => task(), { timeout });
    else setTimeout(task, 200);
  };
  if (document.readyState === 'complete') whenIdle();
  else addEventListener('load', whenIdle, { once: true });
}
