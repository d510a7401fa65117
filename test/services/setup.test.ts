import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claudeCode } from '../../src/services/clients/claude-code.js';
import { cursor } from '../../src/services/clients/cursor.js';
import { vscode } from '../../src/services/clients/vscode.js';
import { UserError } from '../../src/services/errors.js';
import { applyPlan, conflictsIn, planAdd, previewPlan, undoLastChange } from '../../src/services/setup.js';
import { entryProblems } from '../../src/services/clients/entry-checks.js';
import { makeTempHome, type TempHome } from '../helpers/temp-home.js';

let t: TempHome;
beforeEach(async () => {
  t = await makeTempHome();
});
afterEach(() => t.cleanup());

const URL_ = 'https://api.example.com/mcp';

describe('where each client keeps its servers', () => {
  it('linux', async () => {
    const { deps } = t;
    expect(claudeCode.locate(deps.system, 'user')).toMatchObject({ file: path.join(t.home, '.claude.json'), serversPath: ['mcpServers'], createMode: 0o600 });
    expect(claudeCode.locate(deps.system, 'local').serversPath).toEqual(['projects', t.cwd, 'mcpServers']);
    expect(claudeCode.locate(deps.system, 'project').file).toBe(path.join(t.cwd, '.mcp.json'));
    expect(cursor.locate(deps.system, 'user').file).toBe(path.join(t.home, '.cursor', 'mcp.json'));
    expect(cursor.locate(deps.system, 'project').file).toBe(path.join(t.cwd, '.cursor', 'mcp.json'));
    expect(vscode.locate(deps.system, 'user')).toMatchObject({ file: path.join(t.home, '.config', 'Code', 'User', 'mcp.json'), serversPath: ['servers'], format: 'jsonc' });
    expect(vscode.locate(deps.system, 'project').file).toBe(path.join(t.cwd, '.vscode', 'mcp.json'));
  });

  it('honours CLAUDE_CONFIG_DIR', async () => {
    const other = await makeTempHome({ env: { CLAUDE_CONFIG_DIR: '/opt/claude' } });
    expect(claudeCode.locate(other.deps.system, 'user').file).toBe('/opt/claude/.claude.json');
    await other.cleanup();
  });

  it('macOS', () => {
    const system = { platform: 'darwin' as const, home: '/Users/ada', cwd: '/Users/ada/proj', env: {}, isWsl: false };
    expect(vscode.locate(system, 'user').file).toBe('/Users/ada/Library/Application Support/Code/User/mcp.json');
    expect(cursor.locate(system, 'user').file).toBe('/Users/ada/.cursor/mcp.json');
    expect(claudeCode.locate(system, 'user').file).toBe('/Users/ada/.claude.json');
  });

  it('Windows', () => {
    const system = { platform: 'win32' as const, home: 'C:\\Users\\ada', cwd: 'C:\\src\\proj', env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, isWsl: false };
    expect(vscode.locate(system, 'user').file).toBe('C:\\Users\\ada\\AppData\\Roaming\\Code\\User\\mcp.json');
    expect(cursor.locate(system, 'user').file).toBe('C:\\Users\\ada\\.cursor\\mcp.json');
    expect(claudeCode.locate(system, 'user').file).toBe('C:\\Users\\ada\\.claude.json');
    expect(vscode.locate(system, 'project').file).toBe('C:\\src\\proj\\.vscode\\mcp.json');
  });
});

describe('planAdd + applyPlan', () => {
  it('writes each client its own spelling of a remote entry', async () => {
    const plan = await planAdd({ clients: ['claude-code', 'cursor', 'vscode'], name: 'example', url: URL_, headers: { 'X-Key': 'k' } }, t.deps);
    await applyPlan(plan, t.deps);
    const read = async (f: string) => JSON.parse(await readFile(f, 'utf8'));
    expect((await read(path.join(t.home, '.claude.json'))).mcpServers.example).toEqual({ type: 'http', url: URL_, headers: { 'X-Key': 'k' } });
    expect((await read(path.join(t.home, '.cursor', 'mcp.json'))).mcpServers.example).toEqual({ url: URL_, headers: { 'X-Key': 'k' } });
    expect((await read(path.join(t.home, '.config', 'Code', 'User', 'mcp.json'))).servers.example).toEqual({ type: 'http', url: URL_, headers: { 'X-Key': 'k' } });
    expect((await stat(path.join(t.home, '.claude.json'))).mode & 0o777).toBe(0o600);
  });

  it('VS Code JSONC: only the entry changes (comments, trailing commas, CRLF, tabs, BOM kept)', async () => {
    const file = path.join(t.home, '.config', 'Code', 'User', 'mcp.json');
    await mkdir(path.dirname(file), { recursive: true });
    const before = '\uFEFF{\r\n\t// my servers\r\n\t"servers": {\r\n\t\t"old": { "type": "stdio", "command": "x" }, // keep\r\n\t},\r\n\t"inputs": [],\r\n}\r\n';
    await writeFile(file, before);
    await applyPlan(await planAdd({ clients: ['vscode'], name: 'example', url: URL_ }, t.deps), t.deps);
    const after = await readFile(file, 'utf8');
    expect(after).toBe(
      '\uFEFF{\r\n\t// my servers\r\n\t"servers": {\r\n\t\t"old": { "type": "stdio", "command": "x" }, // keep\r\n\t\t"example": {\r\n\t\t\t"type": "http",\r\n\t\t\t"url": "https://api.example.com/mcp"\r\n\t\t},\r\n\t},\r\n\t"inputs": [],\r\n}\r\n',
    );
  });

  it('Claude Code local scope lands under projects[cwd] and keeps the rest of ~/.claude.json', async () => {
    const file = path.join(t.home, '.claude.json');
    const before = JSON.stringify({ numStartups: 7, projects: { [t.cwd]: { allowedTools: [] } }, mcpServers: { a: { type: 'stdio', command: 'a' } } }, null, 2);
    await writeFile(file, before, { mode: 0o600 });
    await applyPlan(await planAdd({ clients: ['claude-code'], scope: 'local', name: 'example', url: URL_ }, t.deps), t.deps);
    const doc = JSON.parse(await readFile(file, 'utf8'));
    expect(doc.projects[t.cwd]).toEqual({ allowedTools: [], mcpServers: { example: { type: 'http', url: URL_ } } });
    expect(doc.mcpServers).toEqual({ a: { type: 'stdio', command: 'a' } });
    expect(doc.numStartups).toBe(7);
  });

  it('reports a different entry of the same name as a conflict, and an identical one as unchanged', async () => {
    const file = path.join(t.home, '.cursor', 'mcp.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({ mcpServers: { example: { url: 'https://other.example/mcp' } } }));
    const plan = await planAdd({ clients: ['cursor'], name: 'example', url: URL_ }, t.deps);
    expect(conflictsIn(plan)).toHaveLength(1);
    await writeFile(file, JSON.stringify({ mcpServers: { example: { url: URL_ } } }));
    const same = await planAdd({ clients: ['cursor'], name: 'example', url: URL_ }, t.deps);
    // The same entry with its keys in another order is still the same entry, not a clash.
    await writeFile(file, JSON.stringify({ mcpServers: { example: { headers: { 'X-K': 'v' }, url: URL_ } } }));
    const reordered = await planAdd({ clients: ['cursor'], name: 'example', url: URL_, headers: { 'X-K': 'v' } }, t.deps);
    expect(reordered[0]?.unchanged).toBe(true);
    await writeFile(file, JSON.stringify({ mcpServers: { example: { url: URL_ } } }));
    expect(same[0]?.unchanged).toBe(true);
    expect(conflictsIn(same)).toHaveLength(0);
    const [applied] = await applyPlan(same, t.deps);
    expect(applied?.changed).toBe(false);
  });

  it('two apps reading one file (.mcp.json): one entry both accept, one write, one undo', async () => {
    const file = path.join(t.cwd, '.mcp.json');
    const plan = await planAdd({ clients: ['claude-code', 'copilot-cli'], scope: 'project', url: URL_, name: 'acme' }, t.deps);
    // Copilot CLI's entry carries no "tools": ["*"] (Claude Code would skip the server over it).
    expect(plan[1]!.entry).toEqual(plan[0]!.entry);
    expect(plan[1]).toMatchObject({ unchanged: true, fileExists: true });
    const previews = await previewPlan(plan);
    expect(previews[1]!.before).toBe(previews[0]!.after);
    const applied = await applyPlan(plan, t.deps);
    expect(applied.map((a) => [a.client, a.file, a.created])).toEqual([
      ['claude-code', file, true],
      ['copilot-cli', file, true],
    ]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ mcpServers: { acme: { type: 'http', url: URL_ } } });
    expect(await undoLastChange(t.deps)).toEqual([{ file, action: 'deleted' }]);
  });

  it('refuses when apps sharing a file need different entries there (a Copilot tool list), writing nothing', async () => {
    const error = await planAdd({ clients: ['claude-code', 'copilot-cli'], scope: 'project', url: URL_, name: 'acme', enabledTools: ['search'] }, t.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/Claude Code and GitHub Copilot CLI both read .*\.mcp\.json, but need different entries for "acme"/);
    await expect(stat(path.join(t.cwd, '.mcp.json'))).rejects.toThrow();
    // Alone, Copilot CLI gets its filter.
    const [copilot] = await planAdd({ clients: ['copilot-cli'], scope: 'user', url: URL_, name: 'acme', enabledTools: ['search'] }, t.deps);
    expect(copilot!.entry).toMatchObject({ tools: ['search'] });
  });

  it('flags an entry the app has switched off', () => {
    expect(entryProblems('cline', 'acme', { type: 'streamableHttp', url: URL_, disabled: true })).toMatchObject([{ code: 'switched-off', severity: 'warn' }]);
    expect(entryProblems('codex', 'acme', { url: URL_, enabled: false })).toMatchObject([{ code: 'switched-off' }]);
    expect(entryProblems('cline', 'acme', { type: 'streamableHttp', url: URL_, disabled: false })).toEqual([]);
  });

  it("flags a Copilot allow-list in Claude Code's entry: Claude Code skips that server", () => {
    const [problem] = entryProblems('claude-code', 'acme', { type: 'http', url: URL_, tools: ['*'] }, 'project');
    expect(problem).toMatchObject({ code: 'copilot-tools', fix: { command: `mcp-setup add --client claude-code --scope project --name acme --url ${URL_} --force` } });
    expect(entryProblems('claude-code', 'acme', { type: 'http', url: URL_ })).toEqual([]);
    // The rewrite keeps the entry's headers: references as they are, literal keys as placeholders.
    const withHeaders = entryProblems('claude-code', 'acme', { url: URL_, headers: { 'X-Api-Key': 'k-secret', Authorization: 'Bearer ${TOKEN}' } }, 'user', { literal: { 'X-Api-Key': 'k-secret' }, fromEnv: { Authorization: { env: 'TOKEN', prefix: 'Bearer ' } } });
    expect(withHeaders[0]!.fix!.command).toBe(`mcp-setup add --client claude-code --scope user --name acme --url ${URL_} --header 'X-Api-Key: <value>' --header 'Authorization: Bearer \${TOKEN}' --force`);
  });

  it('refuses an unparsable file at plan time, before anything is written', async () => {
    const cursorFile = path.join(t.home, '.cursor', 'mcp.json');
    await mkdir(path.dirname(cursorFile), { recursive: true });
    await writeFile(cursorFile, '{"mcpServers": {');
    const error = await planAdd({ clients: ['claude-code', 'cursor'], name: 'example', url: URL_ }, t.deps).catch((e: unknown) => e);
    expect((error as UserError).code).toBe('unparsable-config');
    expect((error as UserError).message).toContain(cursorFile);
    await expect(stat(path.join(t.home, '.claude.json'))).rejects.toThrow();
  });

  it('rejects a scope the client does not have, and bad names and URLs', async () => {
    await expect(planAdd({ clients: ['cursor'], scope: 'local', name: 'a', url: URL_ }, t.deps)).rejects.toThrow(/no "local" scope/);
    await expect(planAdd({ clients: ['cursor'], name: 'bad name', url: URL_ }, t.deps)).rejects.toMatchObject({ code: 'invalid-name' });
    await expect(planAdd({ clients: ['cursor'], name: 'a', url: 'http://remote.example/mcp' }, t.deps)).rejects.toMatchObject({ code: 'invalid-url' });
    await expect(planAdd({ clients: ['nope' as never], name: 'a', url: URL_ }, t.deps)).rejects.toThrow(/Unknown app/);
  });
});

describe('undo', () => {
  it('restores changed files and deletes created ones', async () => {
    const cursorFile = path.join(t.home, '.cursor', 'mcp.json');
    await mkdir(path.dirname(cursorFile), { recursive: true });
    const original = '{ "mcpServers": {} }\n';
    await writeFile(cursorFile, original);
    await applyPlan(await planAdd({ clients: ['cursor', 'claude-code'], name: 'example', url: URL_ }, t.deps), t.deps);
    const undone = await undoLastChange(t.deps);
    expect(undone.map((u) => u.action).sort()).toEqual(['deleted', 'restored']);
    expect(await readFile(cursorFile, 'utf8')).toBe(original);
    await expect(stat(path.join(t.home, '.claude.json'))).rejects.toThrow();
    await expect(undoLastChange(t.deps)).rejects.toMatchObject({ code: 'nothing-to-undo' });
  });

  it('refuses when the file changed since, and restores nothing', async () => {
    const cursorFile = path.join(t.home, '.cursor', 'mcp.json');
    await applyPlan(await planAdd({ clients: ['cursor'], name: 'example', url: URL_ }, t.deps), t.deps);
    await writeFile(cursorFile, '{"edited":"by hand"}');
    await expect(undoLastChange(t.deps)).rejects.toMatchObject({ code: 'config-changed' });
    expect(await readFile(cursorFile, 'utf8')).toBe('{"edited":"by hand"}');
  });
});

describe('each app’s own JSON grammar', () => {
  it('a comment in ~/.claude.json (Claude Code reads plain JSON) is refused with its line, file untouched', async () => {
    const file = path.join(t.home, '.claude.json');
    const before = '{\n  // my note\n  "mcpServers": {}\n}\n';
    await writeFile(file, before);
    const error = await planAdd({ clients: ['claude-code'], name: 'example', url: URL_ }, t.deps).catch((e: unknown) => e);
    expect((error as UserError).code).toBe('unparsable-config');
    expect((error as UserError).message).toContain('a comment at line 2');
    expect((error as UserError).hint).toContain('plain JSON');
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('Gemini CLI takes comments but not trailing commas', async () => {
    const file = path.join(t.home, '.gemini', 'settings.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '{\n  // ok for Gemini\n  "mcpServers": {}\n}\n');
    await applyPlan(await planAdd({ clients: ['gemini-cli'], name: 'example', url: URL_ }, t.deps), t.deps);
    expect(await readFile(file, 'utf8')).toContain('// ok for Gemini');
    await writeFile(file, '{\n  "mcpServers": {},\n}\n');
    await expect(planAdd({ clients: ['gemini-cli'], name: 'example', url: URL_ }, t.deps)).rejects.toThrow(/a trailing comma/);
  });

  it('VS Code (JSONC) takes both', async () => {
    const file = path.join(t.home, '.config', 'Code', 'User', 'mcp.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '{\n  // fine\n  "servers": {},\n}\n');
    await applyPlan(await planAdd({ clients: ['vscode'], name: 'example', url: URL_ }, t.deps), t.deps);
    expect(await readFile(file, 'utf8')).toContain('"example"');
  });
});
