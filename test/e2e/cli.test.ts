import { mkdir, readFile, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEverything } from '../helpers/everything.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempHome, type TempHome } from '../helpers/temp-home.js';
import { useLoopbackPeers } from '../helpers/peers.js';

const peers = useLoopbackPeers();

let t: TempHome;
beforeEach(async () => {
  t = await makeTempHome({ path: path.dirname(process.execPath) });
});
afterEach(() => t.cleanup());

const cli = (args: string[]) => runCli(args, { env: t.env, cwd: t.cwd });

describe('the built binary: contract basics', () => {
  it('--version and --help', async () => {
    const version = await cli(['--version']);
    expect(version).toMatchObject({ code: 0, stderr: '' });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('mcp-setup add --client ID --url URL');
    expect(help.stdout).toContain('Exit codes: 0 ok');
    const addHelp = await cli(['add', '--help']);
    expect(addHelp.stdout).toContain('--no-verify');
  });

  it('without a TTY the wizard never mounts: it names the missing flags and exits 2', async () => {
    const bare = await cli([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--client and --url');
    expect(bare.stdout).toBe('');
    const missingUrl = await cli(['add', '--client', 'cursor']);
    expect(missingUrl.code).toBe(2);
    expect(missingUrl.stderr).toContain('Missing --url');
  });

  it('usage errors exit 2 with a pointer to help; --json errors are JSON on stdout', async () => {
    const unknown = await cli(['add', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown option --bogus');
    const json = await cli(['add', '--client', 'cursor', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'usage', message: expect.stringContaining('--url'), hint: expect.any(String) } });
    const badUrl = await cli(['add', '--client', 'cursor', '--url', 'javascript:alert(1)', '--json']);
    expect(badUrl.code).toBe(2);
    expect(JSON.parse(badUrl.stdout).error.code).toBe('invalid-url');
    const badClient = await cli(['add', '--client', 'notepad', '--url', peers.server.url, '--no-verify']);
    expect(badClient.code).toBe(2);
    expect(badClient.stderr).toContain('Unknown app "notepad"');
  });

  it('proxy keeps stdout for JSON-RPC only: even a usage error with --json goes to stderr', async () => {
    const result = await cli(['proxy', '--json', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Unknown option --bogus');
  });

  it('NO_COLOR and non-TTY output carry no escape codes', async () => {
    const result = await runCli(['add', '--client', 'cursor'], { env: { ...t.env, NO_COLOR: '1' }, cwd: t.cwd });
    expect(result.stderr).not.toMatch(/\u001B\[/);
  });
});

describe('add (non-interactive) against the real server-everything', () => {
  it('verifies live, writes the entry and prints the next step', async () => {
    const result = await cli(['add', '--client', 'cursor', '--url', peers.server.url, '--yes']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Connected to Everything Reference Server');
    expect(result.stdout).toContain('Added "everything" in Cursor (user)');
    const doc = JSON.parse(await readFile(path.join(t.home, '.cursor', 'mcp.json'), 'utf8'));
    expect(doc).toEqual({ mcpServers: { everything: { url: peers.server.url } } });
  });

  it('--json prints exactly one document with the verification and changes', async () => {
    const result = await cli(['add', '--client', 'claude-code,vscode', '--url', peers.server.url, '--name', 'ev', '--json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.server).toEqual({ name: 'ev', url: peers.server.url });
    expect(doc.verification).toMatchObject({ status: 'ok', server: { name: 'mcp-servers/everything' }, transport: 'streamable-http' });
    expect(doc.verification.tools.length).toBeGreaterThan(5);
    expect(doc.changes.map((c: { client: string; action: string }) => [c.client, c.action])).toEqual([
      ['claude-code', 'added'],
      ['vscode', 'added'],
    ]);
    expect((await stat(path.join(t.home, '.claude.json'))).mode & 0o777).toBe(0o600);
  });

  it('a name in use is refused without --force, replaced with it', async () => {
    const file = path.join(t.home, '.cursor', 'mcp.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '{\n  // keep me\n  "mcpServers": { "everything": { "url": "https://old.example/mcp" } }\n}\n');
    const refused = await cli(['add', '--client', 'cursor', '--url', peers.server.url, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already has a different server named "everything"');
    expect(refused.stderr).toContain('--force');
    expect(await readFile(file, 'utf8')).toContain('old.example');
    const forced = await cli(['add', '--client', 'cursor', '--url', peers.server.url, '--yes', '--force']);
    expect(forced.code).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('// keep me');
    expect(text).toContain(peers.server.url);
  });

  it('--dry-run shows the exact diff per file, hides header values and writes nothing', async () => {
    const file = path.join(t.home, '.cursor', 'mcp.json');
    await mkdir(path.dirname(file), { recursive: true });
    const before = '{\n  // mine\n  "mcpServers": {}\n}\n';
    await writeFile(file, before);
    const result = await cli(['add', '--client', 'cursor', '--url', peers.server.url, '--name', 'ev', '--header', 'X-Key: s3cr3t-key', '--dry-run', '--json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.dryRun).toBe(true);
    expect(doc.changes[0]).toMatchObject({ client: 'cursor', action: 'add', file });
    expect(doc.changes[0].diff).toContain(`+       "url": "${peers.server.url}",`);
    expect(doc.changes[0].diff).toContain('-   "mcpServers": {}');
    expect(result.stdout + result.stderr).not.toContain('s3cr3t-key');
    expect(await readFile(file, 'utf8')).toBe(before);
    await expect(stat(t.stateDir)).rejects.toThrow();
  });

  it('undo restores what add changed', async () => {
    await cli(['add', '--client', 'cursor', '--url', peers.server.url, '--yes']);
    const undo = await cli(['undo']);
    expect(undo.code).toBe(0);
    expect(undo.stdout).toContain('Removed');
    await expect(stat(path.join(t.home, '.cursor', 'mcp.json'))).rejects.toThrow();
  });

  it('an unreachable server: exit 4, nothing written; --no-verify writes anyway', async () => {
    const down = await cli(['add', '--client', 'cursor', '--url', peers.faults.url('/missing'), '--yes']);
    expect(down.code).toBe(4);
    expect(down.stderr).toContain('No MCP server at');
    await expect(stat(path.join(t.home, '.cursor'))).rejects.toThrow();
    const skipped = await cli(['add', '--client', 'cursor', '--url', peers.faults.url('/missing'), '--name', 'later', '--no-verify', '--json']);
    expect(skipped.code).toBe(0);
    expect(JSON.parse(skipped.stdout).verification).toEqual({ status: 'skipped' });
  });

  it('a server that needs sign-in is still written (the app signs in itself) and says so', async () => {
    const result = await cli(['add', '--client', 'cursor', '--url', peers.faults.url('/unauthorized'), '--name', 'secure', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).verification).toEqual({ status: 'needs-auth', message: 'This server needs sign-in.' });
  });
});

describe('legacy SSE servers', () => {
  it('add writes the SSE spelling for apps that need it (Claude Code type "sse")', async () => {
    const legacy = await startEverything({ transport: 'sse' });
    try {
      const result = await cli(['add', '--client', 'claude-code', '--url', legacy.url, '--name', 'old', '--json']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).verification).toMatchObject({ status: 'ok', transport: 'sse' });
      const doc = JSON.parse(await readFile(path.join(t.home, '.claude.json'), 'utf8'));
      expect(doc.mcpServers.old).toEqual({ type: 'sse', url: legacy.url });
    } finally {
      await legacy.stop();
    }
  });
});

describe('secrets stay out of config files', () => {
  it("--header 'Authorization: Bearer ${VAR}' writes each app's own reference; the check expands it", async () => {
    const env = { ...t.env, MY_TOKEN: 's3cr3t-value-123' };
    const result = await runCli(['add', '--client', 'claude-code,cursor,codex', '--url', peers.server.url, '--name', 'ev', '--header', 'Authorization: Bearer ${MY_TOKEN}', '--yes'], { env, cwd: t.cwd });
    expect(result.code).toBe(0);
    const claude = JSON.parse(await readFile(path.join(t.home, '.claude.json'), 'utf8'));
    expect(claude.mcpServers.ev.headers).toEqual({ Authorization: 'Bearer ${MY_TOKEN}' });
    const cursor = JSON.parse(await readFile(path.join(t.home, '.cursor', 'mcp.json'), 'utf8'));
    expect(cursor.mcpServers.ev.headers).toEqual({ Authorization: 'Bearer ${env:MY_TOKEN}' });
    const codex = await readFile(path.join(t.home, '.codex', 'config.toml'), 'utf8');
    expect(codex).toContain('bearer_token_env_var = "MY_TOKEN"');
    for (const text of [JSON.stringify(claude), JSON.stringify(cursor), codex, result.stdout, result.stderr]) expect(text).not.toContain('s3cr3t-value-123');
  });

  it('a reference to an unset variable: exit 2 naming it, nothing written', async () => {
    const result = await cli(['add', '--client', 'cursor', '--url', peers.server.url, '--header', 'Authorization: Bearer ${NOT_SET_TOKEN}', '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('NOT_SET_TOKEN');
    await expect(stat(path.join(t.home, '.cursor'))).rejects.toThrow();
  });

  it('--tools is written where the app filters, and the output says where it cannot', async () => {
    const result = await cli(['add', '--client', 'codex,cursor', '--url', peers.server.url, '--name', 'ev', '--tools', 'echo', '--json']);
    expect(result.code).toBe(0);
    const changes = JSON.parse(result.stdout).changes as Array<{ client: string; toolFilter: boolean }>;
    expect(changes.map((c) => [c.client, c.toolFilter])).toEqual([
      ['codex', true],
      ['cursor', false],
    ]);
    expect(await readFile(path.join(t.home, '.codex', 'config.toml'), 'utf8')).toContain('enabled_tools = ["echo"]');
  });

  it('--tools must name tools the server has', async () => {
    const result = await cli(['add', '--client', 'codex', '--url', peers.server.url, '--tools', 'echo,nope', '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no tool named "nope"');
  });
});

describe('verify', () => {
  it('prints the server, tools and timings; --json follows the contract', async () => {
    const human = await cli(['verify', peers.server.url]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Connected to Everything Reference Server 2\.0\.0/);
    expect(human.stdout).toContain('echo');
    const json = await cli(['verify', peers.server.url, '--json']);
    const doc = JSON.parse(json.stdout);
    expect(Object.keys(doc).sort()).toEqual(['protocolVersion', 'server', 'timings', 'tools', 'transport']);
    expect(doc.timings).toEqual({ connectMs: expect.any(Number), listMs: expect.any(Number) });
  });

  it('exit 3 for sign-in, 4 for unreachable', async () => {
    const auth = await cli(['verify', peers.faults.url('/unauthorized'), '--json']);
    expect(auth.code).toBe(3);
    expect(JSON.parse(auth.stdout).error.code).toBe('needs-auth');
    const html = await cli(['verify', peers.faults.url('/html')]);
    expect(html.code).toBe(4);
    expect(html.stderr).toContain('web page');
  });
});
