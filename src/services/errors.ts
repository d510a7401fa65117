/**
 * One error model for both front ends. A UserError is something the user can act on: it carries
 * what happened (message), why it likely happened (hint) and what to do next (nextSteps), plus
 * the exit code scripts rely on. Anything else that escapes is a bug.
 */

export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  auth: 3,
  unreachable: 4,
  cancelled: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Stable machine-readable error codes used in `--json` output. */
export type ErrorCode =
  | 'usage'
  | 'invalid-url'
  | 'invalid-name'
  | 'unparsable-config'
  | 'config-changed'
  | 'write-failed'
  | 'name-in-use'
  | 'not-found'
  | 'needs-auth'
  | 'forbidden'
  | 'unreachable'
  | 'timeout'
  | 'not-mcp'
  | 'server-error'
  | 'nothing-to-undo'
  | 'auth-failed'
  | 'auth-unsupported'
  | 'auth-untrusted'
  | 'failed';

export interface UserErrorInit {
  code: ErrorCode;
  message: string;
  hint?: string;
  nextSteps?: string[];
  exitCode?: ExitCode;
  cause?: unknown;
}

const defaultExit: Partial<Record<ErrorCode, ExitCode>> = {
  usage: ExitCode.usage,
  'invalid-url': ExitCode.usage,
  'invalid-name': ExitCode.usage,
  'needs-auth': ExitCode.auth,
  forbidden: ExitCode.auth,
  'auth-failed': ExitCode.auth,
  'auth-unsupported': ExitCode.auth,
  'auth-untrusted': ExitCode.auth,
  unreachable: ExitCode.unreachable,
  timeout: ExitCode.unreachable,
  'not-mcp': ExitCode.unreachable,
  'server-error': ExitCode.unreachable,
};

export class UserError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly nextSteps: string[];
  readonly exitCode: ExitCode;

  constructor(init: UserErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'UserError';
    this.code = init.code;
    this.hint = init.hint;
    this.nextSteps = init.nextSteps ?? [];
    this.exitCode = init.exitCode ?? defaultExit[init.code] ?? ExitCode.failed;
  }
}

export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super({ code: 'usage', message, ...(hint ? { hint } : {}), exitCode: ExitCode.usage });
    this.name = 'UsageError';
  }
}

/** The user cancelled (Ctrl+C, Esc on the first step, or an aborted signal). */
export class CancelledError extends Error {
  readonly exitCode = ExitCode.cancelled;
  constructor(message = 'Cancelled. Nothing was written.') {
    super(message);
    this.name = 'CancelledError';
  }
}

export function isAbortError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR')
  );
}

export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof UserError) return error.exitCode;
  if (error instanceof CancelledError) return ExitCode.cancelled;
  return ExitCode.failed;
}

/** Something that should not happen: shown with a request to report it. */
export class BugError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BugError';
  }
}
