import pty from '@lydell/node-pty';
import { BIN } from './run-cli.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;?]*[ -/]*[@-~]|\u001B\][^\u0007]*\u0007|\u001B[()][A-Z0-9]|\u001B[=>]/g;

export const KEYS = {
  enter: '\r',
  up: '\u001B[A',
  down: '\u001B[B',
  escape: '\u001B',
  ctrlC: '\u0003',
} as const;

export interface PtySession {
  /** Everything printed so far, raw (with escape codes). */
  raw(): string;
  /** Everything printed so far, ANSI stripped. */
  text(): string;
  write(data: string): void;
  /** Wait until `needle` appears after the current mark (ignores older output). */
  waitFor(needle: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Forget output so far for the next waitFor. */
  mark(): void;
  exit: Promise<{ exitCode: number; signal?: number }>;
  kill(): void;
}

/** Run the built binary in a real pseudo-terminal, as a person in a terminal would. */
export function spawnPty(args: string[], options: { env: Record<string, string>; cwd: string; cols?: number; rows?: number }): PtySession {
  const proc = pty.spawn(process.execPath, [BIN, ...args], {
    name: 'xterm-256color',
    cols: options.cols ?? 100,
    rows: options.rows ?? 40,
    cwd: options.cwd,
    env: { ...options.env, TERM: 'xterm-256color', NODE_OPTIONS: '' },
  });
  let output = '';
  let markAt = 0;
  proc.onData((d) => (output += d));
  const exit = new Promise<{ exitCode: number; signal?: number }>((resolve) => proc.onExit((e) => resolve(e)));
  const strip = (s: string) => s.replace(ANSI, '');
  return {
    raw: () => output,
    text: () => strip(output),
    write: (data) => proc.write(data),
    mark: () => {
      markAt = output.length;
    },
    async waitFor(needle, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      const matches = () => {
        const recent = strip(output.slice(markAt));
        return typeof needle === 'string' ? recent.includes(needle) : needle.test(recent);
      };
      while (!matches()) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(needle)}. Screen so far:\n${strip(output.slice(markAt)).slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      // The frame shows before the screen's input handler attaches (a React effect).
      await new Promise((r) => setTimeout(r, 150));
    },
    exit,
    kill: () => {
      try {
        proc.kill();
      } catch {
        // already gone
      }
    },
  };
}
