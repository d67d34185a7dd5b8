/** Finding executables: on a PATH, or in a given folder. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** True when the file exists and we may execute it. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds an executable by name on the PATH of `env`. */
export function which(name: string, env: Record<string, string | undefined>): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}
