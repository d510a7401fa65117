import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/run-cli.js';
import pty from '@lydell/node-pty';
import { describe, expect, it } from 'vitest';
import { startOidcPeer } from '../helpers/oauth/index.js';
import { appLoginInPty, clientBin, clientEnv, mcpSetup, runClient, seed, show, TOKEN, useRealClientFixture } from './harness.js';

// Claude Code's own CLI (`claude mcp get/list` connect to each server and print ✔/✘).
const claude = clientBin('claude');

describe.skipIf(!claude)('real Claude Code reads what mcp-setup writes', () => {
  const f = useRealClientFixture({ gate: true });

  // The user's file as Claude Code leaves it: other keys, a local-scope project, another server.
  const existing = (cwd: string) =>
    JSON.stringify(
      {
        numStartups: 4,
        hasCompletedOnboarding: true,
        mcpServers: { other: { type: 'sse', url: 'http://127.0.0.1:9/sse' } },
        projects: { [cwd]: { allowedTools: [], mcpServers: {} } },
      },
      null,
      2,
    ) + '\n';

  it('add (plain + ${MY_TOKEN} header) → claude lists both, connects, expands the token; remove → gone', async () => {
    const env = clientEnv(f.t);
    const file = path.join(f.t.home, '.claude.json');
    await seed(file, existing(f.t.cwd), 0o600);
    await mcpSetup(f.t, env, ['add', '--client', 'claude-code', '--url', f.server.url, '--name', 'ev', '--yes']);
    await mcpSetup(f.t, env, ['add', '--client', 'claude-code', '--url', f.gate.url, '--name', 'evtok', '--header', 'Authorization: Bearer ${MY_TOKEN}', '--yes']);
    expect(await readFile(file, 'utf8')).not.toContain(TOKEN);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    f.gate.seen.length = 0;
    const list = await runClient(claude, ['mcp', 'list'], env, f.t.cwd);
    expect(list.code, show(list)).toBe(0);
    expect(list.stdout, show(list)).toMatch(new RegExp(`^ev: ${escape(f.server.url)} \\(HTTP\\) - ✔ Connected$`, 'm'));
    expect(list.stdout, show(list)).toMatch(new RegExp(`^evtok: ${escape(f.gate.url)} \\(HTTP\\) - ✔ Connected$`, 'm'));
    expect(list.stdout, show(list)).toMatch(/^other: http:\/\/127\.0\.0\.1:9\/sse \(SSE\) - ✘/m);
    // It reached the gate with the secret from the environment, never the literal reference.
    expect(f.gate.seen.length).toBeGreaterThan(0);
    expect(new Set(f.gate.seen)).toEqual(new Set([`Bearer ${TOKEN}`]));

    const get = await runClient(claude, ['mcp', 'get', 'evtok'], env, f.t.cwd);
    expect(get.code, show(get)).toBe(0);
    expect(get.stdout).toMatch(/Scope: User config/);
    expect(get.stdout).toMatch(/Status: ✔ Connected/);
    expect(get.stdout).toMatch(/Type: http/);
    expect(get.stdout).toContain(`URL: ${f.gate.url}`);
    expect(get.stdout).toContain('Authorization: Bearer ${MY_TOKEN}');

    // mcp-setup's doctor asks Claude Code itself (claude on PATH) and reports its verdict.
    const doctor = await runCli(['doctor', 'evtok', '--json'], { env: { ...env, PATH: `${path.dirname(claude)}:${env.PATH}` }, cwd: f.t.cwd, timeoutMs: 60_000 });
    const verdict = JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'client.claude-verdict');
    expect(verdict, show(doctor)).toMatchObject({ status: 'pass', detail: expect.stringContaining('✔ Connected') });

    await mcpSetup(f.t, env, ['remove', 'ev', '--client', 'claude-code', '--yes']);
    const after = await runClient(claude, ['mcp', 'list'], env, f.t.cwd);
    expect(after.code, show(after)).toBe(0);
    expect(after.stdout, show(after)).not.toMatch(/^ev:/m);
    expect(after.stdout, show(after)).toMatch(/^evtok: .* - ✔ Connected$/m);
    expect(after.stdout, show(after)).toMatch(/^other: /m);
    const gone = await runClient(claude, ['mcp', 'get', 'ev'], env, f.t.cwd);
    expect(gone.code, show(gone)).not.toBe(0);
    expect(gone.stdout + gone.stderr).toMatch(/No MCP server (named|found with name:) "ev"/);
  });

  it('local scope (projects[cwd].mcpServers) and CLAUDE_CONFIG_DIR are where Claude Code looks', async () => {
    const configDir = path.join(f.t.root, 'claude-config');
    const env = clientEnv(f.t, { CLAUDE_CONFIG_DIR: configDir });
    await seed(path.join(configDir, '.claude.json'), existing(f.t.cwd), 0o600);
    await mcpSetup(f.t, env, ['add', '--client', 'claude-code', '--scope', 'local', '--url', f.server.url, '--name', 'evlocal', '--yes']);
    const get = await runClient(claude, ['mcp', 'get', 'evlocal'], env, f.t.cwd);
    expect(get.code, show(get)).toBe(0);
    expect(get.stdout).toMatch(/Scope: Local config/);
    expect(get.stdout).toMatch(/Status: ✔ Connected/);
    expect(get.stdout).toContain(`URL: ${f.server.url}`);
    await expect(stat(path.join(f.t.home, '.claude.json'))).rejects.toThrow();
  });

  it("claude mcp login (a real sign-in, through the approving browser) is what the doctor reads back", async () => {
    const peer = await startOidcPeer();
    try {
      const env = clientEnv(f.t);
      await mcpSetup(f.t, env, ['add', '--client', 'claude-code', '--url', peer.mcpUrl, '--name', 'evauth', '--no-verify', '--yes']);
      const before = await runCli(['doctor', 'evauth', '--json'], { env, cwd: f.t.cwd, timeoutMs: 60_000 });
      expect(JSON.parse(before.stdout).checks.find((c: { id: string }) => c.id === 'client.claude-sign-in'), show(before)).toMatchObject({ status: 'warn' });

      // Claude Code signs in only on a terminal: --no-browser prints the URL, the approving
      // browser follows it to Claude Code's own loopback callback.
      const login = await appLoginInPty(claude, 'evauth', env, f.t.cwd);
      expect(login.code, login.screen).toBe(0);
      expect(login.browser).toBe(0);
      expect(login.screen).toMatch(/Authenticated with "evauth"/);

      const after = await runCli(['doctor', 'evauth', '--json'], { env, cwd: f.t.cwd, timeoutMs: 60_000 });
      expect(JSON.parse(after.stdout).checks.find((c: { id: string }) => c.id === 'client.claude-sign-in'), show(after)).toMatchObject({
        status: 'pass',
        detail: expect.stringMatching(/^Claude Code is signed in to "evauth" \(token valid for \d+ (minutes|hour|hours); it renews it with its refresh token\)\.$/),
      });
    } finally {
      await peer.close();
    }
  });

  it('add asks the apps themselves afterwards (claude mcp get, codex mcp list) and reports what they say', async () => {
    const codex = clientBin('codex');
    const env = clientEnv(f.t);
    const withApps = { ...env, PATH: [path.dirname(claude), ...(codex ? [path.dirname(codex)] : []), env.PATH].join(':') };
    const added = await runCli(['add', '--client', codex ? 'claude-code,codex' : 'claude-code', '--url', f.server.url, '--name', 'evapps', '--yes'], { env: withApps, cwd: f.t.cwd, timeoutMs: 60_000 });
    expect(added.code, show(added)).toBe(0);
    expect(added.stdout, show(added)).toContain('✔ Claude Code’s own check: ✔ Connected.');
    if (codex) expect(added.stdout, show(added)).toContain('✔ Codex loads "evapps" and has it switched on.');
    const json = await runCli(['add', '--client', 'claude-code', '--url', f.server.url, '--name', 'evapps2', '--yes', '--json'], { env: withApps, cwd: f.t.cwd, timeoutMs: 60_000 });
    expect(JSON.parse(json.stdout).appChecks, show(json)).toEqual([{ id: 'client.claude-verdict', status: 'pass', detail: 'Claude Code’s own check: ✔ Connected.' }]);
  });

  it("the wizard's last screen shows Claude Code's own verdict on the entry it just wrote", async () => {
    const env = { ...clientEnv(f.t), PATH: `${path.dirname(claude)}:${clientEnv(f.t).PATH}`, TERM: 'xterm-256color' };
    const bin = fileURLToPath(new URL('../../bin/mcp-setup.js', import.meta.url));
    const term = pty.spawn(process.execPath, [bin, '--client', 'claude-code', '--scope', 'user', '--url', f.server.url, '--name', 'evwiz'], { env, cwd: f.t.cwd, cols: 110, rows: 40 });
    let screen = '';
    term.onData((chunk) => (screen += chunk));
    const plain = () => screen.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '');
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 30_000;
      while (!plain().includes(text)) {
        if (Date.now() > deadline) throw new Error(`no "${text}" on screen:\n${plain().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
    await waitFor('Connected to');
    term.write('\r');
    await waitFor('What should the server be called?');
    term.write('\r');
    await waitFor('Only this entry changes');
    term.write('\r');
    expect(await exited, plain()).toBe(0);
    expect(plain()).toContain('Asking the apps themselves…');
    expect(plain()).toContain('✔ Claude Code’s own check: ✔ Connected.');
  });

  it('.mcp.json written for Claude Code and Copilot CLI at once is one entry Claude Code loads', async () => {
    const env = clientEnv(f.t);
    await mcpSetup(f.t, env, ['add', '--client', 'claude-code,copilot-cli', '--scope', 'project', '--url', f.server.url, '--name', 'evshared', '--yes']);
    const get = await runClient(claude, ['mcp', 'get', 'evshared'], env, f.t.cwd);
    expect(get.code, show(get)).toBe(0);
    expect(get.stdout).toMatch(/Scope: Project config/);
    expect(get.stdout).toContain(`URL: ${f.server.url}`);
    // Copilot CLI's allow-list spelling is what made Claude Code skip a server: the doctor says so.
    const file = path.join(f.t.cwd, '.mcp.json');
    const doc = JSON.parse(await readFile(file, 'utf8'));
    doc.mcpServers.evshared.tools = ['*'];
    await seed(file, JSON.stringify(doc, null, 2), 0o644);
    const skipped = await runClient(claude, ['mcp', 'get', 'evshared'], env, f.t.cwd);
    expect(skipped.stdout + skipped.stderr, show(skipped)).toMatch(/No MCP server (named|found with name:) "?evshared"?/);
    const doctor = await runCli(['doctor', 'evshared', '--json'], { env, cwd: f.t.cwd, timeoutMs: 60_000 });
    const problem = JSON.parse(doctor.stdout).checks.find((c: { id: string; detail: string }) => c.id === 'config.entry' && c.detail.includes('Claude Code skips'));
    expect(problem, show(doctor)).toMatchObject({ status: 'fail' });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
