import { execFile } from 'node:child_process';

/** Run a client's own CLI (no shell), bounded in time; its output is parsed, never shown raw. */
export function runCommand(command: string, args: string[], options: { timeoutMs: number; signal: AbortSignal }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const launch = howToLaunch(command, args);
  if (!launch) return Promise.reject(new Error(`won't pass these arguments through cmd.exe: ${args.join(' ')}`));
  return new Promise((resolve, reject) => {
    execFile(
      launch.file,
      launch.args,
      { timeout: options.timeoutMs, signal: options.signal, maxBuffer: 1024 * 1024, encoding: 'utf8', windowsVerbatimArguments: launch.verbatim },
      (error, stdout, stderr) => {
        if (error && typeof (error as { code?: unknown }).code !== 'number') return reject(error);
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** The program and argv to start `command args` without a shell; undefined when that can't be done safely. */
export function howToLaunch(command: string, args: string[], platform: NodeJS.Platform = process.platform): { file: string; args: string[]; verbatim: boolean } | undefined {
  if (platform !== 'win32' || !/\.(cmd|bat)$/i.test(command)) return { file: command, args, verbatim: false };
  const line = windowsShimLine(command, args);
  return line ? { ...line, verbatim: true } : undefined;
}

/**
 * npm installs the apps' CLIs on Windows as .cmd shims (claude.cmd, codex.cmd…), which Node
 * refuses to spawn without a shell since the 2024 batch-file fix (EINVAL). Run them through
 * `cmd.exe /d /s /c "…"` instead, but only with arguments cmd can't read as syntax: plain words
 * like `mcp get NAME`. Anything else is refused (the check is then skipped), never escaped.
 */
export function windowsShimLine(command: string, args: string[]): { file: string; args: string[] } | undefined {
  if (/["%^&|<>!\r\n]/.test(command) || !args.every((a) => /^[\w.:@/=+-]+$/.test(a))) return undefined;
  return { file: 'cmd.exe', args: ['/d', '/s', '/c', `""${command}" ${args.join(' ')}"`] };
}
