import { execFile } from 'node:child_process';

/** Run a client's own CLI (no shell), bounded in time; its output is parsed, never shown raw. */
export function runCommand(command: string, args: string[], options: { timeoutMs: number; signal: AbortSignal }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: options.timeoutMs, signal: options.signal, maxBuffer: 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && typeof (error as { code?: unknown }).code !== 'number') return reject(error);
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
