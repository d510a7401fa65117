import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startOidcPeer } from '../helpers/oauth/index.js';
import { clientBin, clientEnv, mcpSetup, runClient, seed, show, TOKEN, useRealClientFixture } from './harness.js';

// opencode's own `opencode mcp list` connects to every enabled server ("✓ name connected" then
// the URL on the next line). Its per-entry schema rejects unknown keys: an entry it does not
// accept invalidates the whole config.
const opencode = clientBin('opencode');

const EXISTING = `{
  // My opencode settings — keep this comment
  "$schema": "https://opencode.ai/config.json",
  "autoupdate": false,
  "share": "disabled",
  "mcp": {
    "other": { "type": "remote", "url": "http://127.0.0.1:9/mcp", "enabled": false }, // off on purpose
  },
}
`;

describe.skipIf(!opencode)('real opencode reads what mcp-setup writes', () => {
  const f = useRealClientFixture({ gate: true });

  /** "✓ ev connected\n│      http://…" → { ev: { status: 'connected', url } } */
  function parse(stdout: string): Record<string, { status: string; url: string }> {
    const servers: Record<string, { status: string; url: string }> = {};
    const lines = stdout.split('\n').map((line) => line.replace(/^[│●┌└\s]+/, '').trim());
    lines.forEach((line, i) => {
      const match = /^\S+ ([\w-]+) (.+)$/.exec(line);
      if (match && /^https?:\/\//.test(lines[i + 1] ?? '')) servers[match[1]!] = { status: match[2]!.trim(), url: lines[i + 1]! };
    });
    return servers;
  }

  it('add (plain + {env:MY_TOKEN} header) into opencode.jsonc → opencode lists both, connects, expands the token; remove → gone', async () => {
    const env = clientEnv(f.t);
    const file = path.join(f.t.home, '.config', 'opencode', 'opencode.jsonc');
    await seed(file, EXISTING);
    await mcpSetup(f.t, env, ['add', '--client', 'opencode', '--url', f.server.url, '--name', 'ev', '--yes']);
    await mcpSetup(f.t, env, ['add', '--client', 'opencode', '--url', f.gate.url, '--name', 'evtok', '--header', 'Authorization: Bearer ${MY_TOKEN}', '--yes']);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('// My opencode settings — keep this comment');
    expect(text).not.toContain(TOKEN);

    f.gate.seen.length = 0;
    const list = await runClient(opencode, ['mcp', 'list'], env, f.t.cwd);
    expect(list.code, show(list)).toBe(0);
    const servers = parse(list.stdout);
    expect(servers.ev, show(list)).toEqual({ status: 'connected', url: f.server.url });
    expect(servers.evtok, show(list)).toEqual({ status: 'connected', url: f.gate.url });
    expect(servers.other?.url, show(list)).toBe('http://127.0.0.1:9/mcp');
    expect(servers.other?.status, show(list)).toMatch(/disabled/);
    expect(f.gate.seen.length).toBeGreaterThan(0);
    expect(new Set(f.gate.seen)).toEqual(new Set([`Bearer ${TOKEN}`]));

    await mcpSetup(f.t, env, ['remove', 'ev', '--client', 'opencode', '--yes']);
    const after = await runClient(opencode, ['mcp', 'list'], env, f.t.cwd);
    expect(after.code, show(after)).toBe(0);
    const rest = parse(after.stdout);
    expect(Object.keys(rest).sort(), show(after)).toEqual(['evtok', 'other']);
    expect(rest.evtok?.status).toBe('connected');
    expect(await readFile(file, 'utf8')).toContain('// off on purpose');
  });

  it('v2 layout (mcp.servers) and XDG_CONFIG_HOME are honoured the way opencode reads them', async () => {
    const xdg = path.join(f.t.root, 'xdg');
    const env = clientEnv(f.t, { XDG_CONFIG_HOME: xdg });
    const file = path.join(xdg, 'opencode', 'opencode.json');
    await seed(file, '{\n  "mcp": {\n    "servers": {}\n  }\n}\n');
    await mcpSetup(f.t, env, ['add', '--client', 'opencode', '--url', f.server.url, '--name', 'evv2', '--yes']);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ mcp: { servers: { evv2: { type: 'remote', url: f.server.url } } } });
    const list = await runClient(opencode, ['mcp', 'list'], env, f.t.cwd);
    expect(list.code, show(list)).toBe(0);
    expect(parse(list.stdout).evv2, show(list)).toEqual({ status: 'connected', url: f.server.url });
  });

  it("the doctor reports opencode's own check: connected, or needs its own sign-in", async () => {
    const peer = await startOidcPeer();
    try {
      const env = clientEnv(f.t);
      await mcpSetup(f.t, env, ['add', '--client', 'opencode', '--url', f.server.url, '--name', 'evdoc', '--yes']);
      await mcpSetup(f.t, env, ['add', '--client', 'opencode', '--url', peer.mcpUrl, '--name', 'evauth', '--no-verify', '--yes']);
      const verdict = async (name: string) => {
        const doctor = await runCli(['doctor', name, '--json'], { env: { ...env, PATH: `${path.dirname(opencode)}:${env.PATH}` }, cwd: f.t.cwd, timeoutMs: 90_000 });
        return JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'client.opencode-verdict');
      };
      expect(await verdict('evdoc')).toMatchObject({ status: 'pass', detail: 'opencode’s own check: ✓ evdoc connected.' });
      expect(await verdict('evauth')).toMatchObject({ status: 'warn', detail: 'opencode’s own check: ⚠ evauth needs authentication.', fix: { command: 'opencode mcp auth evauth' } });
    } finally {
      await peer.close();
    }
  });
});

