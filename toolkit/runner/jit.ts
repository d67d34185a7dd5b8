/**
 * V8's optimising compiler (TurboFan) while many VUs run. Every VU is its own
 * isolate, so each one compiles the same hot functions again; with tens of
 * VUs on a few cores those compilations (on V8's shared background threads)
 * cost more than the optimised code saves during a test. Measured on 2 cores
 * against a loopback server (req/s, medians, TurboFan on vs off): 8 VUs 35 k vs
 * 21 k, 16 VUs 26 k vs 22 k, 32 VUs 14 k vs 19 k, 50 VUs 13–14 k vs 19–20 k.
 * So above LIMIT_PER_CORE VUs per core TurboFan is off while the run lasts
 * (V8 flags are per process: the main thread runs unoptimised too until the
 * last such run ends). PERFKIT_TURBOFAN=on|off overrides the choice.
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

const LIMIT_PER_CORE = 10;
let holders = 0;

/** Whether a run that initialises `vus` VUs up front should run without TurboFan. */
export function turbofanOff(vus: number, env: Record<string, string | undefined>): boolean {
  const forced = env.PERFKIT_TURBOFAN;
  if (forced === 'on') return false;
  if (forced === 'off') return true;
  return vus > LIMIT_PER_CORE * availableParallelism();
}

/** Turns TurboFan off until the returned function is called (reference-counted across concurrent runs). */
export function holdTurbofanOff(): () => void {
  if (holders++ === 0) setFlagsFromString('--no-turbofan');
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders === 0) setFlagsFromString('--turbofan');
  };
}
