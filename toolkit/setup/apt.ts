/**
 * Installing system packages with apt so that the system is left as it was: no recommends, apt's output in
 * a log file (one progress line here, the log's path on failure), and any system service a package ships
 * (nginx, pgbouncer, postgresql, redis-server…) left disabled and stopped when it was not running before.
 * Services are kept from starting during the install by Debian's policy-rc.d (ours, unless the machine has
 * one), and whatever the install enabled is disabled again afterwards.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Runs a command with its output appended to `logFd`; returns its exit code. Replaceable in tests. */
export type CommandRunner = (command: string, args: string[], logFd?: number) => number;

/** Packages that ship a system service under the same name (the ones the toolkit's users install most). */
const SERVICE_PACKAGES = new Set(['nginx', 'pgbouncer', 'postgresql', 'redis-server']);

/** Where the machine's services are switched on (and where the test looks). */
export interface ServiceDirs {
  wants: string;
  policyRcD: string;
  /** /run/systemd/system exists when systemd runs the machine. */
  systemdRun: string;
}

const SYSTEM_DIRS: ServiceDirs = {
  wants: '/etc/systemd/system/multi-user.target.wants',
  policyRcD: '/usr/sbin/policy-rc.d',
  systemdRun: '/run/systemd/system',
};

/** What one apt install is given. */
export interface AptInstall {
  names: string[];
  /** Through sudo -n, or directly as root. */
  sudo: boolean;
  env: Record<string, string | undefined>;
  log: (line: string) => void;
  /** The file apt's output goes to. */
  logFile: string;
  run?: CommandRunner;
  dirs?: ServiceDirs;
}

/** What the install did. */
export interface AptOutcome {
  ok: boolean;
  /** What failed (apt-get update or install), when not ok. */
  failed?: string;
  /** Services the install would have left enabled or running, and that we disabled and stopped. */
  disabled: string[];
}

const defaultRunner =
  (env: Record<string, string | undefined>): CommandRunner =>
  (command, args, logFd) =>
    spawnSync(command, args, {
      stdio: ['ignore', logFd ?? 'ignore', logFd ?? 'ignore'],
      env: { ...env, DEBIAN_FRONTEND: 'noninteractive', APT_LISTCHANGES_FRONTEND: 'none' },
    }).status ?? 1;

function enabledUnits(dirs: ServiceDirs): Set<string> {
  try {
    return new Set(readdirSync(dirs.wants).filter((f) => f.endsWith('.service')));
  } catch {
    return new Set();
  }
}

/** The services a set of packages may bring: those named like the package, and any unit the install enabled. */
function serviceNames(packages: string[], before: Set<string>, after: Set<string>): string[] {
  const fromLinks = [...after].filter((u) => !before.has(u)).map((u) => u.replace(/\.service$/, ''));
  return [...new Set([...packages.filter((p) => SERVICE_PACKAGES.has(p)), ...fromLinks])];
}

/** Whether a service runs now: systemd's view when it runs the machine, else the init script's status. */
function isRunning(name: string, dirs: ServiceDirs, run: CommandRunner): boolean {
  if (existsSync(dirs.systemdRun)) return run('systemctl', ['is-active', '--quiet', name]) === 0;
  return existsSync(`/etc/init.d/${name}`) && run('service', [name, 'status']) === 0;
}

/** Our policy-rc.d (exit 101: no service may start) for the install, unless the machine has its own. */
function denyServiceStarts(dirs: ServiceDirs): () => void {
  if (existsSync(dirs.policyRcD)) return () => undefined;
  writeFileSync(dirs.policyRcD, '#!/bin/sh\n# perfkit set-up: no service starts during the install\nexit 101\n', {
    mode: 0o755,
  });
  return () => rmSync(dirs.policyRcD, { force: true });
}

/**
 * `apt-get update` then `apt-get install -y --no-install-recommends -q …`, both into the log file; services
 * that were neither enabled nor running before are disabled and stopped afterwards.
 */
export function aptInstall(options: AptInstall): AptOutcome {
  const dirs = options.dirs ?? SYSTEM_DIRS;
  const run = options.run ?? defaultRunner(options.env);
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const fd = openSync(options.logFile, 'a');
  const apt = (args: string[]): number =>
    options.sudo ? run('sudo', ['-n', 'apt-get', ...args], fd) : run('apt-get', args, fd);
  const linksBefore = enabledUnits(dirs);
  const candidates = options.names.filter((p) => SERVICE_PACKAGES.has(p));
  const runningBefore = new Set(candidates.filter((s) => isRunning(s, dirs, run)));
  const restore = options.sudo ? () => undefined : denyServiceStarts(dirs);
  let outcome: AptOutcome;
  try {
    if (apt(['update', '-q']) !== 0) outcome = { ok: false, failed: '`apt-get update`', disabled: [] };
    else if (apt(['install', '-y', '--no-install-recommends', '-q', ...options.names]) !== 0)
      outcome = { ok: false, failed: '`apt-get install`', disabled: [] };
    else outcome = { ok: true, disabled: [] };
  } finally {
    restore();
  }
  const services = serviceNames(options.names, linksBefore, enabledUnits(dirs));
  for (const name of services) {
    const wasEnabled = linksBefore.has(`${name}.service`);
    const wasRunning = runningBefore.has(name);
    if (wasEnabled || wasRunning) continue;
    const sudo = (cmd: string, args: string[]): number =>
      options.sudo ? run('sudo', ['-n', cmd, ...args], fd) : run(cmd, args, fd);
    sudo('systemctl', ['disable', '--quiet', `${name}.service`]);
    if (existsSync(`/etc/init.d/${name}`)) sudo('update-rc.d', [name, 'disable']);
    if (isRunning(name, dirs, run))
      if (existsSync(dirs.systemdRun)) sudo('systemctl', ['stop', name]);
      else sudo('service', [name, 'stop']);
    outcome.disabled.push(name);
  }
  closeSync(fd);
  return outcome;
}
