import type { ParsedOptions } from './args.js';

export type Mode = 'interactive' | 'plain' | 'json';

/**
 * Decide before anything renders: Ink needs raw mode on a real TTY, and a script or CI job must
 * never be left waiting on a prompt nobody will answer.
 */
export function chooseMode(options: ParsedOptions, io: { stdinIsTTY: boolean; stdoutIsTTY: boolean; ci: boolean }): Mode {
  if (options.json) return 'json';
  if (options.yes || io.ci || !io.stdinIsTTY || !io.stdoutIsTTY) return 'plain';
  return 'interactive';
}
