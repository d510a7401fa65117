import type { Readable, Writable } from 'node:stream';
import type { AuthDeps } from '../services/auth/types.js';
import type { ParsedArgs } from './args.js';
import type { Mode } from './mode.js';
import type { Output } from './output.js';

/** Everything a command needs, built once by main. */
export interface CommandContext {
  args: ParsedArgs;
  mode: Mode;
  deps: AuthDeps;
  output: Output;
  version: string;
  stdin: Readable & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable;
  /** Aborted on Ctrl+C in plain mode. */
  signal: AbortSignal;
}
