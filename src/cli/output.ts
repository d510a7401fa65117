import type { Writable } from 'node:stream';
import { UserError, BugError, CancelledError } from '../services/errors.js';

/** Terminal styling that respects NO_COLOR and non-TTY output. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

export function makeStyle(enabled: boolean): Style {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\u001B[${open}m${s}\u001B[${close}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

export interface Output {
  style: Style;
  json: boolean;
  /** Results: stdout. */
  out(line: string): void;
  /** Progress and diagnostics: stderr (silent in --json mode? no: stderr stays for humans). */
  info(line: string): void;
  /** The single JSON document of a --json run. */
  data(value: unknown): void;
  error(error: unknown): void;
}

export function makeOutput(opts: { stdout: Writable; stderr: Writable; json: boolean; color: boolean }): Output {
  const style = makeStyle(opts.color);
  return {
    style,
    json: opts.json,
    out: (line) => void opts.stdout.write(line + '\n'),
    info: (line) => void opts.stderr.write(line + '\n'),
    data: (value) => void opts.stdout.write(JSON.stringify(value, null, 2) + '\n'),
    error(error) {
      if (opts.json) {
        opts.stdout.write(JSON.stringify({ error: errorJson(error) }, null, 2) + '\n');
        return;
      }
      for (const line of errorLines(error, style)) opts.stderr.write(line + '\n');
    },
  };
}

export function errorJson(error: unknown): { code: string; message: string; hint?: string; nextSteps?: string[] } {
  if (error instanceof UserError) {
    return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}), ...(error.nextSteps.length ? { nextSteps: error.nextSteps } : {}) };
  }
  if (error instanceof CancelledError) return { code: 'cancelled', message: error.message };
  return { code: 'bug', message: error instanceof Error ? error.message : String(error), hint: 'This is a bug in mcp-setup. Please report it.' };
}

export function errorLines(error: unknown, style: Style): string[] {
  if (error instanceof UserError) {
    return [
      `${style.red('✘')} ${error.message}`,
      ...(error.hint ? [`  ${style.dim(error.hint)}`] : []),
      ...error.nextSteps.map((s) => `  → ${s}`),
    ];
  }
  if (error instanceof CancelledError) return [style.yellow(error.message)];
  const message = error instanceof BugError || error instanceof Error ? error.message : String(error);
  return [`${style.red('✘')} Unexpected error: ${message}`, `  ${style.dim('This is a bug in mcp-setup. Please report it with the command you ran.')}`];
}
