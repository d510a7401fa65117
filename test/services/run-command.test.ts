import { describe, expect, it } from 'vitest';
import { howToLaunch, runCommand, windowsShimLine } from '../../src/cli/run-command.js';

describe('running an app’s own CLI', () => {
  it('runs a real program without a shell and hands back its output and exit code', async () => {
    const signal = new AbortController().signal;
    const ok = await runCommand(process.execPath, ['-e', 'process.stdout.write("out"); process.stderr.write("err")'], { timeoutMs: 10_000, signal });
    expect(ok).toEqual({ code: 0, stdout: 'out', stderr: 'err' });
    const failed = await runCommand(process.execPath, ['-e', 'process.exit(3)'], { timeoutMs: 10_000, signal });
    expect(failed.code).toBe(3);
    // Arguments are never shell syntax here.
    const literal = await runCommand(process.execPath, ['-e', 'process.stdout.write(process.argv[1])', '$(echo hi);`x`'], { timeoutMs: 10_000, signal });
    expect(literal.stdout).toBe('$(echo hi);`x`');
  });

  it('a Windows .cmd shim goes through cmd.exe with plain-word arguments only', () => {
    expect(windowsShimLine('C:\\Users\\ada\\AppData\\Roaming\\npm\\claude.cmd', ['mcp', 'get', 'linear'])).toEqual({
      file: 'cmd.exe',
      args: ['/d', '/s', '/c', '""C:\\Users\\ada\\AppData\\Roaming\\npm\\claude.cmd" mcp get linear"'],
    });
    expect(windowsShimLine('C:\\Program Files\\nodejs\\codex.cmd', ['mcp', 'list', '--json'])!.args[3]).toBe('""C:\\Program Files\\nodejs\\codex.cmd" mcp list --json"');
    expect(howToLaunch('C:\\npm\\claude.cmd', ['mcp', 'get', 'linear'], 'win32')).toMatchObject({ file: 'cmd.exe', verbatim: true });
    expect(howToLaunch('C:\\npm\\claude.cmd', ['mcp', 'get', 'a&b'], 'win32')).toBeUndefined();
    expect(howToLaunch('C:\\bin\\claude.exe', ['mcp', 'get', 'a&b'], 'win32')).toEqual({ file: 'C:\\bin\\claude.exe', args: ['mcp', 'get', 'a&b'], verbatim: false });
    expect(howToLaunch('/usr/bin/claude', ['mcp'], 'linux')).toEqual({ file: '/usr/bin/claude', args: ['mcp'], verbatim: false });
    // cmd would read these as syntax: refused, not escaped.
    for (const name of ['a&calc', 'x|y', '%PATH%', 'a b', 'q"uote', 'x^y', 'a>b']) expect(windowsShimLine('C:\\npm\\claude.cmd', ['mcp', 'get', name])).toBeUndefined();
  });
});
