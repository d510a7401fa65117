import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
const cli = (args: string[]) => runCli(args, { env: t.env, cwd: t.cwd });

async function seed() {
  const cursorFile = path.join(t.home, '.cursor', 'mcp.json');
  await mkdir(path.dirname(cursorFile), { recursive: true });
  await writeFile(
    cursorFile,
    `{\n  // team servers\n  "mcpServers": {\n    "everything": { "url": "${peers.server.url}", "disabled": false },\n    "secure": { "url": "${peers.faults.url('/unauthorized')}" },\n    "files": { "command": "npx", "args": ["-y", "some-server"] }\n  }\n}\n`,
  );
  await writeFile(path.join(t.home, '.claude.json'), JSON.stringify({ mcpServers: { everything: { type: 'http', url: peers.server.url } } }, null, 2), { mode: 0o600 });
  return cursorFile;
}

describe('list / update / remove across apps', () => {
  it('list --json: every server with file, scope, twins and live health', async () => {
    await seed();
    const result = await cli(['list', '--json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<Record<string, any>>;
    const byKey = Object.fromEntries(rows.map((r) => [`${r.client}/${r.name}`, r]));
    expect(byKey['cursor/everything']).toMatchObject({ scope: 'user', url: peers.server.url, alsoIn: ['claude-code'], health: { status: 'ok', server: 'mcp-servers/everything' } });
    expect(byKey['cursor/everything']!.health.tools).toBeGreaterThan(5);
    expect(byKey['claude-code/everything']).toMatchObject({ file: path.join(t.home, '.claude.json'), alsoIn: ['cursor'] });
    expect(byKey['cursor/secure']!.health).toMatchObject({ status: 'needs-auth' });
    expect(byKey['cursor/files']).toMatchObject({ command: 'npx -y some-server', health: { status: 'local' } });
  });

  it("list checks an API-key server with the key each app sends, and names a variable that isn't set", async () => {
    const keyed = await startEverything({ apiKey: 'k-31415926' });
    try {
      const cursorFile = path.join(t.home, '.cursor', 'mcp.json');
      await mkdir(path.dirname(cursorFile), { recursive: true });
      // Cursor: the key itself; VS Code: read from $TEAM_KEY (set); Windsurf: from $OTHER_KEY (not set).
      await writeFile(cursorFile, JSON.stringify({ mcpServers: { keyed: { url: keyed.url, headers: { 'x-api-key': 'k-31415926' } } } }));
      const vscodeFile = path.join(t.home, '.config', 'Code', 'User', 'mcp.json');
      await mkdir(path.dirname(vscodeFile), { recursive: true });
      await writeFile(vscodeFile, JSON.stringify({ servers: { keyed: { type: 'http', url: keyed.url, headers: { 'x-api-key': '${env:TEAM_KEY}' } } } }));
      const windsurfFile = path.join(t.home, '.codeium', 'windsurf', 'mcp_config.json');
      await mkdir(path.dirname(windsurfFile), { recursive: true });
      await writeFile(windsurfFile, JSON.stringify({ mcpServers: { keyed: { serverUrl: keyed.url, headers: { 'x-api-key': '${env:OTHER_KEY}' } } } }));

      const result = await runCli(['list', '--json'], { env: { ...t.env, TEAM_KEY: 'k-31415926' }, cwd: t.cwd });
      expect(result.code).toBe(0);
      const rows = JSON.parse(result.stdout) as Array<Record<string, any>>;
      const health = Object.fromEntries(rows.map((r) => [r.client, r.health]));
      expect(health.cursor).toMatchObject({ status: 'ok' });
      expect(health.vscode).toMatchObject({ status: 'ok' });
      expect(health.windsurf).toMatchObject({ status: 'needs-auth', missingEnv: ['OTHER_KEY'] });
      // Keys are sent, never shown; nor are headers part of the listing.
      expect(result.stdout).not.toContain('k-31415926');
      expect(rows.every((r) => !('headers' in r))).toBe(true);

      const human = await runCli(['list'], { env: t.env, cwd: t.cwd });
      expect(human.stdout).toContain('! needs $OTHER_KEY (not set here)');
      expect(human.stdout).not.toContain('k-31415926');

      // A helper command makes Claude Code's headers: never run here, and said so instead of "needs sign-in".
      await writeFile(path.join(t.home, '.claude.json'), JSON.stringify({ mcpServers: { keyed: { type: 'http', url: keyed.url, headersHelper: '/opt/bin/get-key.sh' } } }));
      const helped = await runCli(['list', '--json', '--client', 'claude-code'], { env: t.env, cwd: t.cwd });
      expect((JSON.parse(helped.stdout) as Array<Record<string, any>>)[0]!.health).toMatchObject({ status: 'needs-auth', headersHelper: 'headersHelper' });
      const doctor = await runCli(['doctor', 'keyed', '--client', 'claude-code', '--json'], { env: t.env, cwd: t.cwd, timeoutMs: 40_000 });
      expect(JSON.parse(doctor.stdout).cause.detail).toBe("The server needs credentials (401); Claude Code makes them with its headersHelper command, which mcp-setup doesn't run.");

      // verify NAME sends what the app sends too; a variable that isn't set is named, not guessed at.
      const verified = await cli(['verify', 'keyed', '--client', 'cursor', '--json']);
      expect(verified.code).toBe(0);
      expect(verified.stdout).not.toContain('k-31415926');
      const unset = await cli(['verify', 'keyed', '--client', 'windsurf']);
      expect(unset.code).toBe(2);
      expect(unset.stderr).toContain("reads ${OTHER_KEY}, but OTHER_KEY isn't set here");
    } finally {
      await keyed.stop();
    }
  });

  it('an mcp-remote entry in Claude Desktop is listed and checked as the server it bridges to', async () => {
    const desktop = path.join(t.home, '.config', 'Claude', 'claude_desktop_config.json');
    await mkdir(path.dirname(desktop), { recursive: true });
    await writeFile(desktop, JSON.stringify({ mcpServers: { everything: { command: 'npx', args: ['-y', 'mcp-remote@0.1.29', peers.server.url, '--allow-http'] } } }, null, 2));
    const result = await cli(['list', '--json']);
    expect(result.code).toBe(0);
    const [row] = JSON.parse(result.stdout) as Array<Record<string, any>>;
    expect(row).toMatchObject({ client: 'claude-desktop', url: peers.server.url, via: 'mcp-remote', health: { status: 'ok', server: 'mcp-servers/everything' } });
    const human = await cli(['list']);
    expect(human.stdout).toContain(`${peers.server.url} (through mcp-remote)`);

    const doctor = await runCli(['doctor', 'everything', '--json'], { env: t.env, cwd: t.cwd, timeoutMs: 40_000 });
    const report = JSON.parse(doctor.stdout);
    expect(report.checks.find((c: { id: string }) => c.id === 'mcp.tools')).toMatchObject({ status: 'pass' });
    expect(report.checks.find((c: { id: string; detail: string }) => c.id === 'config.entry' && c.detail.includes('bare "npx"'))).toMatchObject({
      status: 'warn',
      fix: { command: `mcp-setup add --client claude-desktop --name everything --url ${peers.server.url} --via bridge --force` },
    });
  });

  it("list reads Codex's own file-stored sign-in; no record says nothing (it may be in the keyring)", async () => {
    const codexHome = path.join(t.home, '.codex');
    await mkdir(codexHome, { recursive: true });
    await writeFile(path.join(codexHome, 'config.toml'), `[mcp_servers.ev]\nurl = "${peers.server.url}"\n\n[mcp_servers.other]\nurl = "${peers.server.url}/other"\n`);
    // The record shape a real `codex mcp login` writes to its file store (test/real-clients checks it).
    const record = { server_name: 'ev', server_url: peers.server.url, issuer: 'http://127.0.0.1:9', client_id: 'c', access_token: 'at-secret', expires_at: Date.now() - 3_600_000, scopes: [] };
    await writeFile(path.join(codexHome, '.credentials.json'), JSON.stringify({ 'ev|0123456789abcdef': record }), { mode: 0o600 });
    const rows = JSON.parse((await cli(['list', '--json', '--no-health'])).stdout) as Array<Record<string, any>>;
    expect(rows.find((r) => r.name === 'ev')!.appSignIn).toMatchObject({ state: 'expired', refreshable: false });
    expect(rows.find((r) => r.name === 'other')!.appSignIn).toBeUndefined();
    const human = await cli(['list', '--no-health']);
    expect(human.stdout).toContain("! Codex's sign-in expired (codex mcp login)");
    expect(human.stdout).not.toContain('at-secret');
  });

  it('list --no-health is quick and human output groups by app and file', async () => {
    await seed();
    const hitsBefore = peers.faults.hits('/unauthorized').length;
    const result = await cli(['list', '--no-health']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Claude Code');
    expect(result.stdout).toContain('also in: cursor');
    expect(peers.faults.hits('/unauthorized')).toHaveLength(hitsBefore);
  });

  it('update changes the URL in place, keeping the entry’s other fields and the file’s comments', async () => {
    const file = await seed();
    const result = await cli(['update', 'everything', '--client', 'cursor', '--url', 'https://new.example.com/mcp']);
    expect(result.code).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('// team servers');
    expect(text).toContain('"everything": { "url": "https://new.example.com/mcp", "disabled": false }');
    expect(JSON.parse(await readFile(path.join(t.home, '.claude.json'), 'utf8')).mcpServers.everything.url).toBe(peers.server.url);
  });

  it('remove needs --yes without a terminal, then removes from every app; undo brings it back', async () => {
    const file = await seed();
    const before = await readFile(file, 'utf8');
    const refused = await cli(['remove', 'everything']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    const removed = await cli(['remove', 'everything', '--yes']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('Removed "everything" from Cursor');
    expect(removed.stdout).toContain('Removed "everything" from Claude Code');
    expect(await readFile(file, 'utf8')).not.toContain('"everything"');
    const undo = await cli(['undo']);
    expect(undo.code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('a name that is nowhere: clear error, exit 1', async () => {
    await seed();
    const result = await cli(['remove', 'nope', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No server called "nope"');
  });

  it('verify NAME resolves the URL from the apps’ configs', async () => {
    await seed();
    const result = await cli(['verify', 'everything', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).server.name).toBe('mcp-servers/everything');
  });
});
