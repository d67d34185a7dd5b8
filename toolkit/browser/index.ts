export { findChrome } from './find-chrome.ts';
export { assertLoopbackUrl, isLoopbackUrl } from './loopback.ts';
export { launchBrowser, BASE_CHROME_FLAGS, settleWithin } from './launch.ts';
export type { LaunchBrowserOptions, LaunchedBrowser } from './launch.ts';
export { isProcessAlive } from './process-guard.ts';
