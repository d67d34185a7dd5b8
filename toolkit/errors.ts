/**
 * The catalogue of user-caused errors. Each carries a stable code, a message
 * that names the file / flag / JSON pointer at fault, and how to fix it.
 * Anything thrown that is not a ToolkitError is a bug and gets a stack trace.
 */

/** Exit codes shared by every command: 0 pass, 1 a budget failed, 2 usage/config/infrastructure error. */
export const EXIT = { ok: 0, budgetFailed: 1, error: 2, sigint: 130, sigterm: 143 } as const;

/** Codes of the catalogue; one per kind of user-caused problem. */
export type ErrorCode =
  | 'USAGE'
  | 'CONFIG_INVALID'
  | 'FILE_NOT_FOUND'
  | 'JSON_INVALID'
  | 'BUDGET_INVALID'
  | 'RESULTS_INVALID'
  | 'BINARY_MISSING'
  | 'SYSTEM_PACKAGES_MISSING'
  | 'STACK_NOT_RUNNING'
  | 'STACK_START_FAILED'
  | 'PORT_UNAVAILABLE'
  | 'TARGET_NOT_LOOPBACK'
  | 'TARGET_UNREACHABLE'
  | 'SCRIPT_INVALID'
  | 'UNSUPPORTED_K6_API'
  | 'BROWSER_MISSING'
  | 'LOGIN_FAILED'
  | 'LIGHTHOUSE_FAILED'
  | 'BUILD_FAILED'
  | 'DATABASE_ERROR'
  | 'STAGE_FAILED'
  | 'BASELINE_NOT_COMPARABLE'
  | 'INTERRUPTED';

/** A user-caused error: printed as `error CODE: message` plus `fix: …`, never with a stack trace unless --debug. */
export class ToolkitError extends Error {
  readonly code: ErrorCode;
  readonly fix: string | undefined;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options: { fix?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ToolkitError';
    this.code = code;
    this.fix = options.fix;
    this.exitCode = options.exitCode ?? EXIT.error;
  }
}

/** Formats any thrown value for people: catalogue errors as message + fix, bugs with their stack. */
export function formatError(err: unknown, debug = false): string {
  if (err instanceof ToolkitError) {
    const lines = [`error ${err.code}: ${err.message}`];
    if (err.fix) lines.push(`  fix: ${err.fix}`);
    if (debug && err.stack) lines.push(err.stack);
    // A wrapped bug keeps its stack trace; a wrapped user error shows it only with --debug.
    const cause = err.cause;
    if (cause instanceof Error && cause.stack && (debug || !(cause instanceof ToolkitError)))
      lines.push(`caused by: ${cause.stack}`);
    return lines.join('\n');
  }
  if (err instanceof Error) return `internal error (a bug, please report it): ${err.stack ?? err.message}`;
  return `internal error (a bug, please report it): ${String(err)}`;
}

export const usageError = (message: string, fix = 'run the command with --help to see its usage'): ToolkitError =>
  new ToolkitError('USAGE', message, { fix });

/** Stopping by a signal: exit 130 for SIGINT, 143 for SIGTERM, as shells expect. */
export function interruptedError(signal: 'SIGINT' | 'SIGTERM'): ToolkitError {
  return new ToolkitError('INTERRUPTED', `interrupted by ${signal}`, {
    exitCode: signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm,
  });
}

/** The signal an abort reason stands for (SIGINT when the reason does not say). */
export function signalOf(reason: unknown): 'SIGINT' | 'SIGTERM' {
  return reason instanceof ToolkitError && reason.exitCode === EXIT.sigterm ? 'SIGTERM' : 'SIGINT';
}
