import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { clientBin, clientEnv, mcpSetup, runClient, seed, show, TOKEN, useRealClientFixture } from './harness.js';

// Gemini CLI's own `gemini mcp list` connects to every server and prints ✓ Connected / ✗
// Disconnected. Servers are disabled in an untrusted folder, so the project dir is trusted via
// GEMINI_CLI_TRUST_WORKSPACE (the CLI's own switch). It prints the list on stderr. Its settings
// grammar is JSON + comments: a trailing comma makes it refuse to start (exit 52).
const gemini = clientBin('gemini');

const EXISTING = `{
  // My Gemini settings — keep this comment
  "general": { "enableAutoUpdate": false },
  "privacy": { "usageStatisticsEnabled": false },
  "mcpServers": {
    "other": { "url": "http://127.0.0.1:9/mcp", "type": "http" } // dead on purpose
  }
}
`;

describe.skipIf(!gemini)('real Gemini CLI reads what mcp-setup writes', () => {
  const f = useRealClientFixture({ gate: true });

  /** Gemini writes its report to stderr: judge the two streams together (as `stdout`). */
  const both = (result: CliResult): CliResult => ({ ...result, stdout: result.stdout + result.stderr });
  const listed = (name: string, url: string, status: string) => new RegExp(`^\\S+ ${name}: ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(http\\) - ${status}$`, 'm');

  it('add (plain + ${MY_TOKEN} header) into a JSONC settings.json → gemini lists both, connects, expands the token; remove → gone', async () => {
    const env = clientEnv(f.t, { GEMINI_CLI_TRUST_WORKSPACE: 'true' });
    const file = path.join(f.t.home, '.gemini', 'settings.json');
    await seed(file, EXISTING);
    await mcpSetup(f.t, env, ['add', '--client', 'gemini-cli', '--url', f.server.url, '--name', 'ev', '--yes']);
    await mcpSetup(f.t, env, ['add', '--client', 'gemini-cli', '--url', f.gate.url, '--name', 'evtok', '--header', 'Authorization: Bearer ${MY_TOKEN}', '--yes']);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('// My Gemini settings — keep this comment');
    expect(text).not.toContain(TOKEN);

    f.gate.seen.length = 0;
    const list = both(await runClient(gemini, ['mcp', 'list'], env, f.t.cwd));
    expect(list.code, show(list)).toBe(0);
    expect(list.stdout, show(list)).toMatch(listed('ev', f.server.url, 'Connected'));
    expect(list.stdout, show(list)).toMatch(listed('evtok', f.gate.url, 'Connected'));
    expect(list.stdout, show(list)).toMatch(listed('other', 'http://127.0.0.1:9/mcp', 'Disconnected'));
    expect(f.gate.seen.length).toBeGreaterThan(0);
    expect(new Set(f.gate.seen)).toEqual(new Set([`Bearer ${TOKEN}`]));

    await mcpSetup(f.t, env, ['remove', 'ev', '--client', 'gemini-cli', '--yes']);
    const after = both(await runClient(gemini, ['mcp', 'list'], env, f.t.cwd));
    expect(after.code, show(after)).toBe(0);
    expect(after.stdout, show(after)).not.toMatch(/ ev: /);
    expect(after.stdout, show(after)).toMatch(listed('evtok', f.gate.url, 'Connected'));
    expect(after.stdout, show(after)).toMatch(/ other: /);
    expect(await readFile(file, 'utf8')).toContain('// dead on purpose');
  });

  it('GEMINI_CLI_HOME moves the file for both; project scope is .gemini/settings.json in the project', async () => {
    const geminiHome = path.join(f.t.root, 'gemini-home');
    const env = clientEnv(f.t, { GEMINI_CLI_HOME: geminiHome, GEMINI_CLI_TRUST_WORKSPACE: 'true' });
    await mcpSetup(f.t, env, ['add', '--client', 'gemini-cli', '--url', f.server.url, '--name', 'evhome', '--yes']);
    await mcpSetup(f.t, env, ['add', '--client', 'gemini-cli', '--scope', 'project', '--url', f.server.url, '--name', 'evproj', '--yes']);
    await readFile(path.join(geminiHome, '.gemini', 'settings.json'), 'utf8');
    await readFile(path.join(f.t.cwd, '.gemini', 'settings.json'), 'utf8');
    const list = both(await runClient(gemini, ['mcp', 'list'], env, f.t.cwd));
    expect(list.code, show(list)).toBe(0);
    expect(list.stdout, show(list)).toMatch(listed('evhome', f.server.url, 'Connected'));
    expect(list.stdout, show(list)).toMatch(listed('evproj', f.server.url, 'Connected'));
  });

  it("the doctor reports Gemini CLI's own check, and why a server is off in an untrusted folder", async () => {
    const untrusted = clientEnv(f.t);
    await mcpSetup(f.t, untrusted, ['add', '--client', 'gemini-cli', '--url', f.server.url, '--name', 'evdoc', '--yes']);
    const verdict = async (env: Record<string, string>) => {
      const doctor = await runCli(['doctor', 'evdoc', '--json'], { env: { ...env, PATH: `${path.dirname(gemini)}:${env.PATH}` }, cwd: f.t.cwd, timeoutMs: 90_000 });
      return JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'client.gemini-verdict');
    };
    expect(await verdict(untrusted)).toMatchObject({ status: 'warn', detail: expect.stringContaining('because you haven’t trusted it') });
    expect(await verdict(clientEnv(f.t, { GEMINI_CLI_TRUST_WORKSPACE: 'true' }))).toMatchObject({ status: 'pass', detail: 'Gemini CLI’s own check: ✓ Connected.' });
  });
});

