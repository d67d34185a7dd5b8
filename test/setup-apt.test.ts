/**
 * The set-up on this machine, for real: nginx is purged, then `scripts/setup.ts --for test` installs it with
 * apt. Afterwards nginx is installed but not enabled (no multi-user.target.wants link, `systemctl is-enabled`
 * not "enabled"), nothing listens on port 80, and the set-up's stderr holds its own lines only, no raw apt
 * output. nginx stays installed at the end (other tests run their own nginx from the binary).
 *
 * It changes the machine's packages, so it runs only when asked: as root with apt-get, and
 * PERFKIT_TEST_APT=1 (e.g. `PERFKIT_TEST_APT=1 npx vitest run test/setup-apt.test.ts`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { which } from '../toolkit/process/which.ts';

const ROOT = path.join(import.meta.dirname, '..');
const PATH = process.env.PATH ?? '/usr/bin:/bin';
const WANTS_LINK = '/etc/systemd/system/multi-user.target.wants/nginx.service';
const enabled =
  process.env.PERFKIT_TEST_APT === '1' && process.getuid?.() === 0 && which('apt-get', { PATH }) !== undefined;

/** Resolves true when something accepts a connection on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** A raw apt/dpkg line as it would appear if apt's output reached the terminal. */
const APT_LINE =
  /^(Reading package lists|Building dependency tree|Reading state information|Setting up |Unpacking |Selecting previously|Preparing to unpack|Processing triggers|Get:\d|Hit:\d|Fetched |Created symlink|\(Reading database)/m;

describe.skipIf(!enabled)('set-up with apt on this machine', () => {
  it('installs nginx and leaves it disabled, stopped and quiet', () => {
    const purge = spawnSync('apt-get', ['purge', '-y', '-q', 'nginx', 'nginx-common'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      encoding: 'utf8',
    });
    expect(purge.status, purge.stderr).toBe(0);
    expect(existsSync('/usr/sbin/nginx')).toBe(false);

    const setup = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/setup.ts', '--for', 'test'], {
      cwd: ROOT,
      env: process.env,
      encoding: 'utf8',
    });
    expect(setup.status, setup.stderr).toBe(0);
    expect(existsSync('/usr/sbin/nginx')).toBe(true);
    expect(setup.stderr).toMatch(/installing nginx with apt-get \(log: .+\.log\)…/);
    expect(setup.stderr).toMatch(/nginx ships a system service: left disabled and stopped/);
    expect(setup.stderr).not.toMatch(APT_LINE);
    expect(setup.stdout).not.toMatch(APT_LINE);

    expect(existsSync(WANTS_LINK)).toBe(false);
    const isEnabled = spawnSync('systemctl', ['is-enabled', 'nginx'], { encoding: 'utf8' });
    expect(isEnabled.stdout.trim()).not.toBe('enabled');
    return listening(80).then((open) => expect(open).toBe(false));
  }, 300_000);
});
