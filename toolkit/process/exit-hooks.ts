/**
 * Last-resort cleanup: synchronous hooks run when the process exits, and on
 * SIGINT/SIGTERM/SIGHUP when nobody else handles the signal (a CLI's own
 * handler stops things properly; this catches everything else).
 */
const hooks = new Set<() => void>();
let installed = false;

function runHooks(): void {
  for (const hook of [...hooks]) {
    hooks.delete(hook);
    try {
      hook();
    } catch {
      // best effort: the process is going away
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runHooks);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      if (process.listenerCount(sig) > 1) return; // someone else handles it and will exit
      runHooks();
      process.removeListener(sig, handler);
      process.kill(process.pid, sig); // default behaviour: die of the signal
    };
    process.on(sig, handler);
  }
}

/** Registers a synchronous cleanup run on exit or an unhandled signal; returns a function that unregisters it. */
export function onExit(hook: () => void): () => void {
  install();
  hooks.add(hook);
  return () => hooks.delete(hook);
}
