import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getAdapter } from '../../src/services/clients/registry.js';
import { editConfigFile } from '../../src/services/config-file.js';
import { UserError } from '../../src/services/errors.js';
import { loadEditor } from '../../src/services/formats/index.js';
import { listServers, removeServer, updateServer } from '../../src/services/manage.js';
import { applyPlan, planAdd, undoLastChange } from '../../src/services/setup.js';
import { makeTempHome, type TempHome } from '../helpers/temp-home.js';

let t: TempHome;
beforeEach(async () => {
  t = await makeTempHome();
});
afterEach(() => t.cleanup());

const FIX = path.join(import.meta.dirname, '..', 'fixtures', 'clients');
const put = async (file: string, text: string) => {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
};
const read = (file: string) => readFile(file, 'utf8');

const SHARED = 'https://shared.example/mcp';

async function setUp() {
  const files = {
    claude: path.join(t.home, '.claude.json'),
    cursor: path.join(t.home, '.cursor', 'mcp.json'),
    codex: path.join(t.home, '.codex', 'config.toml'),
    goose: path.join(t.home, '.config', 'goose', 'config.yaml'),
    cline: path.join(t.home, '.config', 'Code', 'User', 'globalStorage', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'),
    zed: path.join(t.home, '.config', 'zed', 'settings.json'),
  };
  await mkdir(path.join(t.home, '.claude'), { recursive: true });
  await put(files.claude, JSON.stringify({ numStartups: 1, mcpServers: { shared: { type: 'http', url: SHARED } }, projects: { [t.cwd]: { mcpServers: { mine: { type: 'http', url: 'https://mine.example/mcp' } } } } }, null, 2) + '\n');
  await put(files.cursor, `{\n  "mcpServers": {\n    "shared": { "url": "${SHARED}/" },\n    "other": { "command": "npx", "args": ["-y", "x"] }\n  }\n}\n`);
  await put(files.codex, (await read(path.join(FIX, 'codex.toml'))).replace('https://api.githubcopilot.com/mcp/', SHARED));
  await put(files.goose, await read(path.join(FIX, 'goose.yaml')));
  await put(files.cline, (await read(path.join(FIX, 'cline.json'))).replace('"github": {', `"remote": { "type": "streamableHttp", "url": "https://r.example/mcp", "autoApprove": ["a"], "disabled": true, "timeout": 30 },\n    "github": {`));
  await put(files.zed, '{ "context_servers": { oops');
  return files;
}

describe('listServers', () => {
  it('lists every server in every detected app and scope, with twins and unreadable files', async () => {
    const files = await setUp();
    const { servers, problems } = await listServers(t.deps);
    const row = (client: string, name: string) => servers.find((s) => s.client === client && s.name === name);
    expect(row('claude-code', 'shared')).toMatchObject({ scope: 'user', file: files.claude, url: SHARED, transport: 'http', alsoIn: ['cursor', 'codex'] });
    expect(row('claude-code', 'mine')).toMatchObject({ scope: 'local', file: files.claude, alsoIn: [] });
    expect(row('cursor', 'other')).toMatchObject({ command: 'npx -y x', alsoIn: [] });
    expect(row('codex', 'github')).toMatchObject({ url: SHARED, alsoIn: ['claude-code', 'cursor'] });
    expect(row('codex', 'docs')?.command).toBe('npx -y @acme/docs-mcp');
    expect(row('goose', 'memory')).toMatchObject({ transport: 'builtin' });
    expect(row('cline', 'remote')).toMatchObject({ url: 'https://r.example/mcp', label: 'in VS Code' });
    expect(problems).toEqual([expect.objectContaining({ client: 'zed', file: files.zed, code: 'unparsable-config' })]);
    expect(servers.some((s) => s.client === 'zed')).toBe(false);
  });

  it('limits to the asked apps', async () => {
    await setUp();
    const { servers } = await listServers(t.deps, { clients: ['codex'] });
    expect(servers.map((s) => s.name)).toEqual(['docs', 'github']);
  });
});

describe('removeServer', () => {
  it('removes the name everywhere, once per shared file, and undo restores every file', async () => {
    const files = await setUp();
    const before = { claude: await read(files.claude), cursor: await read(files.cursor), codex: await read(files.codex) };
    await writeFile(files.codex, before.codex.replace('[mcp_servers.github]', '[mcp_servers.shared]'));
    before.codex = await read(files.codex);
    const removed = await removeServer(t.deps, 'shared');
    expect(removed.map((r) => r.client).sort()).toEqual(['claude-code', 'codex', 'cursor']);
    expect(JSON.parse(await read(files.claude)).mcpServers).toEqual({});
    expect(await read(files.cursor)).toBe(`{\n  "mcpServers": {\n    "other": { "command": "npx", "args": ["-y", "x"] }\n  }\n}\n`);
    expect(await read(files.codex)).not.toContain('mcp_servers.shared');
    const undone = await undoLastChange(t.deps);
    expect(undone).toHaveLength(3);
    expect({ claude: await read(files.claude), cursor: await read(files.cursor), codex: await read(files.codex) }).toEqual(before);
  });

  it('says so when the name is nowhere, mentioning unreadable files', async () => {
    await setUp();
    const error = (await removeServer(t.deps, 'nope').catch((e: unknown) => e)) as UserError;
    expect(error.code).toBe('not-found');
    expect(error.hint).toContain('settings.json');
  });

  it('never touches an unparsable file', async () => {
    const files = await setUp();
    await expect(removeServer(t.deps, 'x', { clients: ['zed'] })).rejects.toMatchObject({ code: 'not-found' });
    expect(await read(files.zed)).toBe('{ "context_servers": { oops');
  });
});

describe('updateServer', () => {
  it("changes the URL in place, keeping the client's other fields", async () => {
    const files = await setUp();
    const before = await read(files.cline);
    await updateServer(t.deps, 'remote', { url: 'https://r2.example/mcp' });
    expect(await read(files.cline)).toBe(before.replace('https://r.example/mcp', 'https://r2.example/mcp'));
  });

  it('renames, keeping Goose’s name field in step', async () => {
    const files = await setUp();
    const before = await read(files.goose);
    await updateServer(t.deps, 'memory', { rename: 'notes', clients: ['goose'] });
    expect(await read(files.goose)).toBe(before.replace('  memory:\n', '  notes:\n').replace('    name: memory\n', '    name: notes\n'));
  });

  it('rewrites only the header fields, in each client’s spelling', async () => {
    const files = await setUp();
    await updateServer(t.deps, 'github', { headers: { 'X-Key': 'v' }, clients: ['codex'] });
    const codex = await read(files.codex);
    // The given headers replace all of them, env-var ones included (as in every other client).
    expect(codex).toContain('enabled = true\ntool_timeout_sec = 60\nhttp_headers = { X-Key = "v" }\n');
    expect(codex).not.toContain('bearer_token_env_var');
    await updateServer(t.deps, 'github', { envHeaders: { Authorization: { env: 'GH', prefix: 'Bearer ' } }, clients: ['codex'] });
    const server = (await loadEditor('toml')).readServers(await read(files.codex), getAdapter('codex').locate(t.deps.system, 'user')).github;
    expect(server).toEqual({ url: SHARED, bearer_token_env_var: 'GH', enabled: true, tool_timeout_sec: 60 });
    await updateServer(t.deps, 'shared', { envHeaders: { Authorization: { env: 'TOK', prefix: 'Bearer ' } }, clients: ['cursor', 'claude-code'] });
    expect(JSON.parse(await read(files.cursor)).mcpServers.shared.headers).toEqual({ Authorization: 'Bearer ${env:TOK}' });
    expect(JSON.parse(await read(files.claude)).mcpServers.shared.headers).toEqual({ Authorization: 'Bearer ${TOK}' });
  });

  it('refuses a rename onto a taken name before writing anything', async () => {
    const files = await setUp();
    const before = await read(files.cursor);
    const error = (await updateServer(t.deps, 'shared', { rename: 'other' }).catch((e: unknown) => e)) as UserError;
    expect(error.code).toBe('name-in-use');
    expect(await read(files.cursor)).toBe(before);
    expect(JSON.parse(await read(files.claude)).mcpServers.shared).toBeDefined();
  });

  it('refuses headers on a local command server, and bad input', async () => {
    await setUp();
    await expect(updateServer(t.deps, 'other', { headers: { a: 'b' }, clients: ['cursor'] })).rejects.toMatchObject({ code: 'usage' });
    await expect(updateServer(t.deps, 'shared', {})).rejects.toMatchObject({ code: 'usage' });
    await expect(updateServer(t.deps, 'shared', { url: 'ftp://x' })).rejects.toMatchObject({ code: 'invalid-url' });
    await expect(updateServer(t.deps, 'shared', { rename: 'bad name' })).rejects.toMatchObject({ code: 'invalid-name' });
  });
});

describe('adding through planAdd to the new clients', () => {
  it('creates missing folders and files (Codex TOML, Continue YAML list)', async () => {
    const plan = await planAdd({ clients: ['codex', 'continue', 'goose'], name: 'acme', url: 'https://acme.dev/mcp', enabledTools: ['a'] }, t.deps);
    await applyPlan(plan, t.deps);
    expect(await read(path.join(t.home, '.codex', 'config.toml'))).toBe('[mcp_servers.acme]\nurl = "https://acme.dev/mcp"\nenabled_tools = ["a"]\n');
    expect(await read(path.join(t.home, '.continue', 'config.yaml'))).toBe('mcpServers:\n  - name: acme\n    type: streamable-http\n    url: https://acme.dev/mcp\n');
    expect(await read(path.join(t.home, '.config', 'goose', 'config.yaml'))).toContain('available_tools:\n      - a\n');
  });

  it('refuses Claude Desktop (stdio only) and env headers for apps that cannot expand them', async () => {
    await expect(planAdd({ clients: ['claude-desktop'], name: 'acme', url: 'https://acme.dev/mcp' }, t.deps)).rejects.toThrow(/only takes local/);
    await expect(planAdd({ clients: ['zed'], name: 'acme', url: 'https://acme.dev/mcp', envHeaders: { A: { env: 'X' } } }, t.deps)).rejects.toMatchObject({ code: 'usage' });
    await expect(planAdd({ clients: ['codex'], name: 'acme', url: 'https://acme.dev/mcp', envHeaders: { A: { env: 'X', prefix: 'Token ' } } }, t.deps)).rejects.toThrow(/whole value/);
  });
});

describe('faults', () => {
  it('a TOML/YAML edit racing another writer is re-applied to the fresh text', async () => {
    const file = path.join(t.home, '.codex', 'config.toml');
    await put(file, 'model = "o3"\n');
    const at = getAdapter('codex').locate(t.deps.system, 'user');
    let raced = false;
    const tomlEditor = await loadEditor('toml');
    await editConfigFile(file, (text) => tomlEditor.setServer(text, at, 'acme', { url: 'https://a/mcp' }), {
      stateDir: t.stateDir,
      now: t.deps.now,
      beforeCommit: async () => {
        if (raced) return;
        raced = true;
        await writeFile(file, 'model = "o4"  # changed by Codex\n');
      },
    });
    expect(await read(file)).toBe('model = "o4"  # changed by Codex\n\n[mcp_servers.acme]\nurl = "https://a/mcp"\n');
  });

  it('an unparsable YAML file is refused and left as it was', async () => {
    const file = path.join(t.home, '.config', 'goose', 'config.yaml');
    await put(file, 'extensions:\n  a: [1\n');
    const error = (await planAdd({ clients: ['goose'], name: 'acme', url: 'https://acme.dev/mcp' }, t.deps).catch((e: unknown) => e)) as UserError;
    expect(error.code).toBe('unparsable-config');
    expect(error.message).toContain(file);
    expect(await read(file)).toBe('extensions:\n  a: [1\n');
  });

  it('a read-only location fails with a clear error and the old file intact', async () => {
    const file = path.join(t.home, '.continue', 'config.yaml');
    await put(file, 'name: a\n');
    const asRoot = process.getuid?.() === 0;
    // root ignores permission bits: make the folder path unusable instead (a file where a folder should be).
    if (asRoot) await put(path.join(t.home, '.codex'), 'not a folder');
    else await chmod(path.dirname(file), 0o500);
    try {
      const target = asRoot ? 'codex' : 'continue';
      const plan = await planAdd({ clients: [target], name: 'acme', url: 'https://acme.dev/mcp' }, t.deps).catch((e: unknown) => e);
      const error = (plan instanceof Error ? plan : await applyPlan(plan as never, t.deps).catch((e: unknown) => e)) as UserError;
      expect(error).toBeInstanceOf(UserError);
      expect(error.code).toBe('write-failed');
      expect(await read(file)).toBe('name: a\n');
    } finally {
      if (!asRoot) await chmod(path.dirname(file), 0o700);
    }
    expect((await stat(file)).isFile()).toBe(true);
  });
});
