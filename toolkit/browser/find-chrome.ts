import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ToolkitError } from '../errors.ts';

/** Names a Chromium or Chrome binary goes by on PATH, in order of preference. */
const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome', 'chrome'];

/**
 * Debian's `chromium` command is a shell wrapper (it may print noise and adds
 * flags we do not want); the real binary sits in the package's lib folder.
 */
const REAL_BINARIES: Record<string, string> = {
  chromium: '/usr/lib/chromium/chromium',
  'chromium-browser': '/usr/lib/chromium/chromium',
};

const FIX =
  'install one with `apt-get install chromium`, or run `npx puppeteer browsers install chrome` and set CHROME_PATH to the printed path';

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the browser the toolkit drives: CHROME_PATH when set (it must exist),
 * else the first Chromium/Chrome on PATH, preferring Debian's real binary over
 * its wrapper script. Throws BROWSER_MISSING with the install fix otherwise.
 */
export function findChrome(env: Record<string, string | undefined>): string {
  const configured = env['CHROME_PATH'];
  if (configured !== undefined && configured !== '') {
    if (isExecutableFile(configured)) return configured;
    throw new ToolkitError('BROWSER_MISSING', `CHROME_PATH=${configured} is not an executable file`, { fix: FIX });
  }
  const dirs = (env['PATH'] ?? '').split(delimiter).filter((d) => d !== '');
  for (const name of PATH_NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (!isExecutableFile(candidate)) continue;
      const real = REAL_BINARIES[name];
      return real !== undefined && isExecutableFile(real) ? real : candidate;
    }
  }
  throw new ToolkitError(
    'BROWSER_MISSING',
    `no Chromium or Chrome found (CHROME_PATH is unset; searched PATH for ${PATH_NAMES.join(', ')})`,
    {
      fix: FIX,
    },
  );
}
