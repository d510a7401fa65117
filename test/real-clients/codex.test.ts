import { appendFile, readFile } from 'node:fs/promises';
import { runCli } from '../helpers/run-cli.js';
import { startOidcPeer } from '../helpers/oauth/index.js';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appLoginInPty, clientBin, clientEnv, mcpSetup, runClient, seed, show, TOKEN, useRealClientFixture } from './harness.js';

// Codex's own CLI. `codex mcp list/get` do not connect, but they load the whole config.toml:
// one invalid key (e.g. an inline bearer_token) and Codex refuses every command.
const codex = clientBin('codex');

interface CodexServer {
  name: string;
  enabled: boolean;
  transport: { type: string; url?: string; command?: string; bearer_token_env_var: string | null; http_headers: Record<string, string> | null; env_http_headers: Record<string, string> | null };
  enabled_tools?: string[] | null;
}

const EXISTING = `# My Codex settings — keep this comment
model = "gpt-5.5"   # inline comment
check_for_update_on_startup = false

[analytics]
enabled = false

# a local server the user added by hand
[mcp_servers.other]
command = "node"
args = ["-e", ""]
`;

describe.skipIf(!codex)('real Codex reads what mcp-setup writes', () => {
  const f = useRealClientFixture();

  async function list(env: Record<string, string>): Promise<CodexServer[]> {
    const result = await runClient(codex, ['mcp', 'list', '--json'], env, f.t.cwd);
    expect(result.code, show(result)).toBe(0);
    return JSON.parse(result.stdout) as CodexServer[];
  }

  it('add (plain, ${MY_TOKEN} header, --tools) into a commented config.toml → codex loads it and lists them; remove → gone', async () => {
    const codexHome = path.join(f.t.home, '.codex');
    const env = clientEnv(f.t); // default: ~/.codex, no CODEX_HOME
    const file = path.join(codexHome, 'config.toml');
    await seed(file, EXISTING);
    await mcpSetup(f.t, env, ['add', '--client', 'codex', '--url', f.server.url, '--name', 'ev', '--yes']);
    await mcpSetup(f.t, env, ['add', '--client', 'codex', '--url', f.server.url, '--name', 'evtok', '--header', 'Authorization: Bearer ${MY_TOKEN}', '--header', 'X-Team: blue', '--yes']);
    await mcpSetup(f.t, env, ['add', '--client', 'codex', '--url', f.server.url, '--name', 'evtools', '--tools', 'echo,get-sum', '--yes']);
    const text = await readFile(file, 'utf8');
    expect(text.startsWith(EXISTING)).toBe(true);
    expect(text).not.toContain(TOKEN);

    const servers = await list(env);
    expect(servers.map((s) => s.name).sort()).toEqual(['ev', 'evtok', 'evtools', 'other']);
    const byName = new Map(servers.map((s) => [s.name, s]));
    expect(byName.get('ev')).toMatchObject({ enabled: true, transport: { type: 'streamable_http', url: f.server.url, bearer_token_env_var: null, http_headers: null } });
    expect(byName.get('evtok')).toMatchObject({
      enabled: true,
      transport: { type: 'streamable_http', url: f.server.url, bearer_token_env_var: 'MY_TOKEN', http_headers: { 'X-Team': 'blue' } },
    });
    expect(byName.get('other')!.transport).toMatchObject({ type: 'stdio', command: 'node' });

    const get = await runClient(codex, ['mcp', 'get', 'evtools', '--json'], env, f.t.cwd);
    expect(get.code, show(get)).toBe(0);
    expect(JSON.parse(get.stdout)).toMatchObject({ name: 'evtools', transport: { type: 'streamable_http', url: f.server.url }, enabled_tools: ['echo', 'get-sum'] });

    await mcpSetup(f.t, env, ['remove', 'ev', '--client', 'codex', '--yes']);
    expect((await list(env)).map((s) => s.name).sort()).toEqual(['evtok', 'evtools', 'other']);
    const gone = await runClient(codex, ['mcp', 'get', 'ev'], env, f.t.cwd);
    expect(gone.code, show(gone)).not.toBe(0);
    expect((await readFile(file, 'utf8')).startsWith(EXISTING)).toBe(true);
  });

  it('the check is sharp: an inline bearer_token (what mcp-setup never writes) makes Codex refuse the whole file', async () => {
    const codexHome = path.join(f.t.root, 'codex-home');
    const env = clientEnv(f.t, { CODEX_HOME: codexHome });
    await mcpSetup(f.t, env, ['add', '--client', 'codex', '--url', f.server.url, '--name', 'ev', '--yes']);
    expect((await list(env)).map((s) => s.name)).toEqual(['ev']);
    await appendFile(path.join(codexHome, 'config.toml'), `\n[mcp_servers.bad]\nurl = "${f.server.url}"\nbearer_token = "inline"\n`);
    const refused = await runClient(codex, ['mcp', 'list', '--json'], env, f.t.cwd);
    expect(refused.code, show(refused)).not.toBe(0);
    expect(refused.stderr).toContain('bearer_token is not supported');
  });

  it("the doctor reports Codex's own view: switched off, not signed in, then signed in after a real codex mcp login", async () => {
    const peer = await startOidcPeer();
    try {
      const codexHome = path.join(f.t.home, '.codex');
      const env = clientEnv(f.t);
      // File-backed tokens: no OS keyring in the test sandbox.
      await seed(path.join(codexHome, 'config.toml'), 'mcp_oauth_credentials_store = "file"\n');
      await mcpSetup(f.t, env, ['add', '--client', 'codex', '--url', peer.mcpUrl, '--name', 'evauth', '--no-verify', '--yes']);
      const withCodex = { ...env, PATH: `${path.dirname(codex)}:${env.PATH}` };
      const verdict = async () => {
        const doctor = await runCli(['doctor', 'evauth', '--json'], { env: withCodex, cwd: f.t.cwd, timeoutMs: 60_000 });
        return JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'client.codex-verdict');
      };
      expect(await verdict()).toMatchObject({ status: 'warn', detail: 'Codex loads "evauth" but hasn’t signed in to it.', fix: { command: 'codex mcp login evauth' } });

      const login = await appLoginInPty(codex, 'evauth', env, f.t.cwd);
      expect(login.code, login.screen).toBe(0);
      expect(login.browser).toBe(0);
      expect(await verdict()).toMatchObject({ status: 'pass', detail: 'Codex loads "evauth" and is signed in to it.' });
      // Its file store says for how long, read without the codex command: list and the doctor.
      const listed = await runCli(['list', '--json', '--client', 'codex'], { env, cwd: f.t.cwd });
      expect((JSON.parse(listed.stdout) as Array<Record<string, any>>).find((r) => r.name === 'evauth')!.appSignIn, show(listed)).toMatchObject({ state: 'signed-in', refreshable: true });
      const doctor = await runCli(['doctor', 'evauth', '--json'], { env, cwd: f.t.cwd, timeoutMs: 60_000 });
      expect(JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'client.codex-sign-in'), show(doctor)).toMatchObject({
        status: 'pass',
        detail: expect.stringMatching(/^Codex is signed in to "evauth" \(token valid for .*; it renews it with its refresh token\)\.$/),
      });

      await appendFile(path.join(codexHome, 'config.toml'), 'enabled = false\n');
      expect(await verdict()).toMatchObject({ status: 'warn', detail: 'Codex has "evauth" switched off.' });

      // A project's own .codex/config.toml counts only once the project is trusted.
      await mcpSetup(f.t, env, ['add', '--client', 'codex', '--scope', 'project', '--url', f.server.url, '--name', 'evproj', '--yes']);
      const projectVerdict = async () => {
        const doctor = await runCli(['doctor', 'evproj', '--json'], { env: withCodex, cwd: f.t.cwd, timeoutMs: 60_000 });
        return JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'client.codex-verdict');
      };
      const untrusted = await projectVerdict();
      expect(untrusted).toMatchObject({ status: 'warn', detail: expect.stringContaining('Codex doesn’t load "evproj"') });
      await appendFile(path.join(codexHome, 'config.toml'), `\n[projects."${f.t.cwd}"]\ntrust_level = "trusted"\n`);
      expect(untrusted.fix.label).toContain(`[projects."${f.t.cwd}"]`);
      expect(await projectVerdict()).toMatchObject({ status: 'pass', detail: 'Codex loads "evproj" and has it switched on.' });
    } finally {
      await peer.close();
    }
  });
});
