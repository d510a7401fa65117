import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOidcPeer } from '../helpers/oauth/index.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempHome, type TempHome } from '../helpers/temp-home.js';
import { useLoopbackPeers } from '../helpers/peers.js';
import { startEverything } from '../helpers/everything.js';

const peers = useLoopbackPeers();

let t: TempHome;
beforeEach(async () => {
  t = await makeTempHome({ path: path.dirname(process.execPath) });
});
afterEach(() => t.cleanup());
const cli = (args: string[]) => runCli(args, { env: t.env, cwd: t.cwd, timeoutMs: 40_000 });

describe('mcp-setup doctor (built binary)', () => {
  it('a healthy server passes every layer: exit 0, JSON per the contract', async () => {
    const result = await cli(['doctor', peers.server.url, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.target.url).toBe(peers.server.url);
    expect(report.cause).toBeUndefined();
    expect(report.checks.some((c: { layer: string; status: string }) => c.layer === 'mcp' && c.status === 'pass')).toBe(true);
    for (const c of report.checks) expect(['pass', 'warn', 'fail', 'skip']).toContain(c.status);
  });

  it('a wrong path: exit 4, the cause names the working /mcp URL', async () => {
    const result = await cli(['doctor', peers.faults.url('/nope')]);
    expect(result.code).toBe(4);
    expect(result.stdout).toContain('Cause:');
    expect(result.stdout).toMatch(/404/);
  });

  it('an OAuth server without our sign-in: exit 3 and a sign-in fix', async () => {
    const peer = await startOidcPeer();
    try {
      const result = await cli(['doctor', peer.mcpUrl, '--json']);
      expect(result.code).toBe(3);
      const report = JSON.parse(result.stdout);
      expect(report.cause.layer).toBe('auth');
      expect(report.cause.fix).toMatchObject({ id: 'sign-in', command: expect.stringContaining('mcp-setup login') });
    } finally {
      await peer.close();
    }
  });

  it("reads Claude Code's own sign-in for the server: missing, expired without refresh, renewable", async () => {
    const peer = await startOidcPeer();
    try {
      await writeFile(path.join(t.home, '.claude.json'), JSON.stringify({ mcpServers: { ev: { type: 'http', url: peer.mcpUrl } } }));
      const signIn = async () => {
        const result = await cli(['doctor', 'ev', '--json']);
        return JSON.parse(result.stdout).checks.find((c: { id: string }) => c.id === 'client.claude-sign-in');
      };
      expect(await signIn()).toMatchObject({ status: 'warn', detail: 'Claude Code hasn’t signed in to "ev" yet.', fix: { command: 'claude mcp login ev' } });
      // Signed in with mcp-setup, the server answers here; list still says Claude Code itself hasn't.
      const browser = fileURLToPath(new URL('../fixtures/approving-browser.mjs', import.meta.url));
      const login = await runCli(['login', 'ev'], { env: { ...t.env, BROWSER: `node ${browser}`, MCP_SETUP_TOKEN_STORE: 'file' }, cwd: t.cwd, timeoutMs: 40_000 });
      expect(login.code, login.stderr).toBe(0);
      expect(login.stdout).toContain('→ Claude Code: claude mcp login ev');
      const listedBefore = await runCli(['list'], { env: { ...t.env, MCP_SETUP_TOKEN_STORE: 'file' }, cwd: t.cwd });
      expect(listedBefore.stdout).toMatch(/✔ \d+ tools, \d+ ms {2}! Claude Code hasn't signed in \(claude mcp login\)/);

      // The record shape a real `claude mcp login` writes (test/real-clients checks it end to end).
      const record = (extra: object) => ({ mcpOAuth: { 'ev|0123456789abcdef': { serverName: 'ev', serverUrl: peer.mcpUrl, accessToken: 'at-secret-1', clientId: 'c1', scope: 'mcp:tools', ...extra } } });
      await mkdir(path.join(t.home, '.claude'), { recursive: true });
      const credentials = path.join(t.home, '.claude', '.credentials.json');
      await writeFile(credentials, JSON.stringify(record({ expiresAt: Date.now() - 3 * 86_400_000 })), { mode: 0o600 });
      expect(await signIn()).toMatchObject({ status: 'warn', detail: 'Claude Code’s sign-in to "ev" expired 3 days ago and has no refresh token, so it can’t renew it.', fix: { command: 'claude mcp login ev' } });
      // list says so too, for every Claude Code entry at once.
      const listed = JSON.parse((await cli(['list', '--json'])).stdout) as Array<Record<string, any>>;
      expect(listed[0]!.appSignIn).toMatchObject({ state: 'expired', refreshable: false });
      expect((await cli(['list'])).stdout).toContain("! Claude Code's sign-in expired (claude mcp login)");

      await writeFile(credentials, JSON.stringify(record({ expiresAt: Date.now() - 2 * 3_600_000, refreshToken: 'rt-secret-2' })), { mode: 0o600 });
      const renewable = await cli(['doctor', 'ev', '--json']);
      expect(JSON.parse(renewable.stdout).checks.find((c: { id: string }) => c.id === 'client.claude-sign-in')).toMatchObject({ status: 'pass', detail: expect.stringMatching(/expired 2 hours ago; it renews it with its refresh token/) });
      expect(renewable.stdout).not.toMatch(/at-secret-1|rt-secret-2/);
      // login no longer tells an app that is signed in to sign in.
      const again = await runCli(['login', 'ev'], { env: { ...t.env, BROWSER: `node ${browser}`, MCP_SETUP_TOKEN_STORE: 'file' }, cwd: t.cwd, timeoutMs: 40_000 });
      expect(again.stdout).toContain('→ Claude Code: already signed in itself (it renews its token)');
    } finally {
      await peer.close();
    }
  });

  it('OAuth metadata that cannot be fetched is its own diagnosis', async () => {
    const result = await cli(['doctor', peers.faults.url('/unauthorized'), '--json']);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).cause.detail).toContain('cannot be fetched');
  });

  it('by name: finds the entries, flags a Claude Code url entry without type and a server in the wrong file (exit 1)', async () => {
    await writeFile(path.join(t.home, '.claude.json'), JSON.stringify({ mcpServers: { ev: { url: peers.server.url } } }));
    await mkdir(path.join(t.home, '.claude'), { recursive: true });
    await writeFile(path.join(t.home, '.claude', 'settings.json'), JSON.stringify({ mcpServers: { ev: { url: peers.server.url } } }));
    const result = await cli(['doctor', 'ev', '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    const failing = report.checks.filter((c: { status: string }) => c.status === 'fail').map((c: { detail: string }) => c.detail).join('\n');
    expect(failing).toContain('has a url but no type');
    expect(failing).toContain('does not read servers from settings.json');
    expect(report.cause.fix.command).toContain('mcp-setup add --client claude-code --scope user --name ev');
  });

  it('--all checks every configured server at once and returns one report per entry', async () => {
    const cursor = path.join(t.home, '.cursor', 'mcp.json');
    await mkdir(path.dirname(cursor), { recursive: true });
    await writeFile(cursor, JSON.stringify({ mcpServers: { ev: { url: peers.server.url }, missing: { url: peers.faults.url('/nope') } } }));
    const result = await cli(['doctor', '--all', '--json']);
    expect(result.code).toBe(4);
    const reports = JSON.parse(result.stdout) as Array<{ target: { name: string; client: string }; cause?: unknown }>;
    expect(reports.map((r) => [r.target.name, r.target.client, Boolean(r.cause)])).toEqual([
      ['ev', 'cursor', false],
      ['missing', 'cursor', true],
    ]);
  });

  it("the client layer reports Claude Code's own verdict (claude mcp get) when claude is on PATH", async () => {
    // A stand-in for the claude CLI (the real one runs in the opt-in test/real-clients suite).
    const bin = path.join(t.root, 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(path.join(bin, 'claude'), '#!/bin/sh\necho "ev:"\necho "  Scope: User config"\necho "  Status: ✘ Failed to connect"\n', { mode: 0o755 });
    await writeFile(path.join(t.home, '.claude.json'), JSON.stringify({ mcpServers: { ev: { type: 'http', url: peers.server.url } } }));
    const result = await runCli(['doctor', 'ev', '--json'], { env: { ...t.env, PATH: `${bin}:${t.env.PATH}` }, cwd: t.cwd, timeoutMs: 40_000 });
    const report = JSON.parse(result.stdout);
    const verdict = report.checks.find((c: { id: string }) => c.id === 'client.claude-verdict');
    expect(verdict).toMatchObject({ layer: 'client', status: 'fail', detail: expect.stringContaining('✘ Failed to connect') });
    expect(report.cause.check).toBe('client.claude-verdict');
    expect(result.code).toBe(1);
  });

  it("Claude Desktop: the client layer reads the app's own log of the bridge's last start", async () => {
    const added = await cli(['add', '--client', 'claude-desktop', '--url', peers.server.url, '--name', 'ev', '--via', 'bridge', '--yes']);
    expect(added.code).toBe(0);
    const verdict = async () => {
      const result = await cli(['doctor', 'ev', '--json']);
      return JSON.parse(result.stdout).checks.find((c: { id: string }) => c.id === 'client.desktop-log');
    };
    expect(await verdict()).toMatchObject({ status: 'warn', detail: expect.stringContaining("hasn't started") });
    const logs = path.join(t.home, '.config', 'Claude', 'logs');
    await mkdir(logs, { recursive: true });
    const log = path.join(logs, 'mcp-server-ev.log');
    await writeFile(log, '2026-11-21T10:00:00.000Z [ev] [info] Initializing server... { metadata: undefined }\n2026-11-21T10:00:00.400Z [ev] [info] Server started and connected successfully { metadata: undefined }\n');
    expect(await verdict()).toMatchObject({ status: 'pass', detail: expect.stringContaining('started "ev" and connected') });
    await writeFile(log, '2026-11-21T10:00:00.400Z [ev] [info] Server started and connected successfully\n2026-11-21T10:00:01.000Z [ev] [error] Server disconnected. For troubleshooting guidance, please visit our debugging documentation\n', { flag: 'a' });
    expect(await verdict()).toMatchObject({ status: 'fail', detail: expect.stringContaining('Server disconnected') });
  });

  it('--header: an API-key server is checked with its key, which never shows in the report', async () => {
    const keyed = await startEverything({ apiKey: 'k-77777777' });
    try {
      const without = await cli(['doctor', keyed.url, '--json']);
      expect(without.code).toBe(3);
      const withKey = await runCli(['doctor', keyed.url, '--header', 'x-api-key: ${MY_KEY}', '--json'], { env: { ...t.env, MY_KEY: 'k-77777777' }, cwd: t.cwd, timeoutMs: 40_000 });
      expect(withKey.code).toBe(0);
      expect(withKey.stdout).not.toContain('k-77777777');
    } finally {
      await keyed.stop();
    }
  });

  it("without --header, each app's own headers are sent: the key it holds, or a named missing variable", async () => {
    const keyed = await startEverything({ apiKey: 'k-27182818' });
    try {
      const cursorFile = path.join(t.home, '.cursor', 'mcp.json');
      await mkdir(path.dirname(cursorFile), { recursive: true });
      await writeFile(cursorFile, JSON.stringify({ mcpServers: { keyed: { url: keyed.url, headers: { 'x-api-key': 'k-27182818' } } } }));
      const named = await cli(['doctor', 'keyed', '--json']);
      expect(named.code).toBe(0);
      const report = JSON.parse(named.stdout);
      expect(report.checks.find((c: { id: string }) => c.id === 'config.headers')).toMatchObject({ status: 'pass', detail: 'Checked with the headers Cursor sends: x-api-key.' });
      expect(named.stdout).not.toContain('k-27182818');

      // Codex reads the key from $KEYED_KEY, which this shell doesn't have.
      const codexFile = path.join(t.home, '.codex', 'config.toml');
      await mkdir(path.dirname(codexFile), { recursive: true });
      await writeFile(codexFile, `[mcp_servers.keyed]\nurl = "${keyed.url}"\nenv_http_headers = { "x-api-key" = "KEYED_KEY" }\n`);
      const all = await cli(['doctor', '--all', '--json']);
      const reports = JSON.parse(all.stdout) as Array<{ target: { client: string }; cause?: { detail: string }; checks: Array<{ id: string; status: string }> }>;
      const byClient = Object.fromEntries(reports.map((r) => [r.target.client, r]));
      expect(byClient.cursor!.cause).toBeUndefined();
      expect(byClient.codex!.cause?.detail).toMatch(/Codex sends them from \$KEYED_KEY, which isn't set in this shell/);
      expect(byClient.codex!.checks.find((c) => c.id === 'config.headers')).toMatchObject({ status: 'warn' });
      expect(all.code).toBe(3);
      expect(all.stdout).not.toContain('k-27182818');
    } finally {
      await keyed.stop();
    }
  });

  it('--bundle prints a shareable report without secrets', async () => {
    const result = await runCli(['doctor', peers.faults.url('/unauthorized'), '--bundle'], { env: { ...t.env, HTTPS_PROXY: 'http://user:hunter2@127.0.0.1:9' }, cwd: t.cwd });
    expect(result.stdout).toContain('support bundle');
    expect(result.stdout).not.toContain('hunter2');
  });
});
