import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTERS, detectClient, getAdapter, locationsFor, primaryLocation } from '../../../src/services/clients/registry.js';
import { windowsHomeFromWsl, windowsToWslPath } from '../../../src/services/clients/paths.js';
import { readVsCodeProfiles } from '../../../src/services/clients/vscode.js';
import type { ClientId, Scope } from '../../../src/services/clients/types.js';
import type { SystemInfo } from '../../../src/services/deps.js';
import { makeTempHome, type TempHome } from '../../helpers/temp-home.js';

const linux: SystemInfo = { platform: 'linux', home: '/home/ada', cwd: '/home/ada/proj', env: {}, isWsl: false };
const mac: SystemInfo = { platform: 'darwin', home: '/Users/ada', cwd: '/Users/ada/proj', env: {}, isWsl: false };
const win: SystemInfo = {
  platform: 'win32',
  home: 'C:\\Users\\ada',
  cwd: 'C:\\src\\proj',
  env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' },
  isWsl: false,
};

/** [client, scope, linux, macOS, Windows] — the user/project files per clients.md §1. */
const TABLE: [ClientId, Scope, string, string, string][] = [
  ['claude-code', 'user', '/home/ada/.claude.json', '/Users/ada/.claude.json', 'C:\\Users\\ada\\.claude.json'],
  ['claude-code', 'project', '/home/ada/proj/.mcp.json', '/Users/ada/proj/.mcp.json', 'C:\\src\\proj\\.mcp.json'],
  [
    'claude-desktop',
    'user',
    '/home/ada/.config/Claude/claude_desktop_config.json',
    '/Users/ada/Library/Application Support/Claude/claude_desktop_config.json',
    'C:\\Users\\ada\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude\\claude_desktop_config.json',
  ],
  ['cursor', 'user', '/home/ada/.cursor/mcp.json', '/Users/ada/.cursor/mcp.json', 'C:\\Users\\ada\\.cursor\\mcp.json'],
  ['vscode', 'user', '/home/ada/.config/Code/User/mcp.json', '/Users/ada/Library/Application Support/Code/User/mcp.json', 'C:\\Users\\ada\\AppData\\Roaming\\Code\\User\\mcp.json'],
  [
    'vscode-insiders',
    'user',
    '/home/ada/.config/Code - Insiders/User/mcp.json',
    '/Users/ada/Library/Application Support/Code - Insiders/User/mcp.json',
    'C:\\Users\\ada\\AppData\\Roaming\\Code - Insiders\\User\\mcp.json',
  ],
  ['vscode', 'project', '/home/ada/proj/.vscode/mcp.json', '/Users/ada/proj/.vscode/mcp.json', 'C:\\src\\proj\\.vscode\\mcp.json'],
  ['windsurf', 'user', '/home/ada/.codeium/windsurf/mcp_config.json', '/Users/ada/.codeium/windsurf/mcp_config.json', 'C:\\Users\\ada\\.codeium\\windsurf\\mcp_config.json'],
  ['gemini-cli', 'user', '/home/ada/.gemini/settings.json', '/Users/ada/.gemini/settings.json', 'C:\\Users\\ada\\.gemini\\settings.json'],
  ['gemini-cli', 'project', '/home/ada/proj/.gemini/settings.json', '/Users/ada/proj/.gemini/settings.json', 'C:\\src\\proj\\.gemini\\settings.json'],
  ['codex', 'user', '/home/ada/.codex/config.toml', '/Users/ada/.codex/config.toml', 'C:\\Users\\ada\\.codex\\config.toml'],
  ['codex', 'project', '/home/ada/proj/.codex/config.toml', '/Users/ada/proj/.codex/config.toml', 'C:\\src\\proj\\.codex\\config.toml'],
  ['zed', 'user', '/home/ada/.config/zed/settings.json', '/Users/ada/.config/zed/settings.json', 'C:\\Users\\ada\\AppData\\Roaming\\Zed\\settings.json'],
  ['zed', 'project', '/home/ada/proj/.zed/settings.json', '/Users/ada/proj/.zed/settings.json', 'C:\\src\\proj\\.zed\\settings.json'],
  [
    'cline',
    'user',
    '/home/ada/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
    '/Users/ada/Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
    'C:\\Users\\ada\\AppData\\Roaming\\Code\\User\\globalStorage\\saoudrizwan.claude-dev\\settings\\cline_mcp_settings.json',
  ],
  [
    'roo-code',
    'user',
    '/home/ada/.config/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json',
    '/Users/ada/Library/Application Support/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json',
    'C:\\Users\\ada\\AppData\\Roaming\\Code\\User\\globalStorage\\rooveterinaryinc.roo-cline\\settings\\mcp_settings.json',
  ],
  ['roo-code', 'project', '/home/ada/proj/.roo/mcp.json', '/Users/ada/proj/.roo/mcp.json', 'C:\\src\\proj\\.roo\\mcp.json'],
  ['goose', 'user', '/home/ada/.config/goose/config.yaml', '/Users/ada/.config/goose/config.yaml', 'C:\\Users\\ada\\AppData\\Roaming\\Block\\goose\\config\\config.yaml'],
  ['opencode', 'user', '/home/ada/.config/opencode/opencode.jsonc', '/Users/ada/.config/opencode/opencode.jsonc', 'C:\\Users\\ada\\.config\\opencode\\opencode.jsonc'],
  ['opencode', 'project', '/home/ada/proj/opencode.json', '/Users/ada/proj/opencode.json', 'C:\\src\\proj\\opencode.json'],
  ['copilot-cli', 'user', '/home/ada/.copilot/mcp-config.json', '/Users/ada/.copilot/mcp-config.json', 'C:\\Users\\ada\\.copilot\\mcp-config.json'],
  ['copilot-cli', 'project', '/home/ada/proj/.mcp.json', '/Users/ada/proj/.mcp.json', 'C:\\src\\proj\\.mcp.json'],
  ['kiro', 'user', '/home/ada/.kiro/settings/mcp.json', '/Users/ada/.kiro/settings/mcp.json', 'C:\\Users\\ada\\.kiro\\settings\\mcp.json'],
  ['kiro', 'project', '/home/ada/proj/.kiro/settings/mcp.json', '/Users/ada/proj/.kiro/settings/mcp.json', 'C:\\src\\proj\\.kiro\\settings\\mcp.json'],
  ['lm-studio', 'user', '/home/ada/.lmstudio/mcp.json', '/Users/ada/.lmstudio/mcp.json', 'C:\\Users\\ada\\.lmstudio\\mcp.json'],
  ['continue', 'user', '/home/ada/.continue/config.yaml', '/Users/ada/.continue/config.yaml', 'C:\\Users\\ada\\.continue\\config.yaml'],
  ['antigravity', 'user', '/home/ada/.gemini/config/mcp_config.json', '/Users/ada/.gemini/config/mcp_config.json', 'C:\\Users\\ada\\.gemini\\config\\mcp_config.json'],
  ['antigravity', 'project', '/home/ada/proj/.agents/mcp_config.json', '/Users/ada/proj/.agents/mcp_config.json', 'C:\\src\\proj\\.agents\\mcp_config.json'],
];

describe('per-OS path table', () => {
  it.each(TABLE)('%s %s', (id, scope, onLinux, onMac, onWindows) => {
    const adapter = getAdapter(id);
    expect(adapter.locate(linux, scope).file).toBe(onLinux);
    expect(adapter.locate(mac, scope).file).toBe(onMac);
    expect(adapter.locate(win, scope).file).toBe(onWindows);
  });

  it('covers every adapter and keeps Claude Code, Cursor, VS Code first', () => {
    expect(new Set(TABLE.map(([id]) => id))).toEqual(new Set(ADAPTERS.map((a) => a.id)));
    expect(ADAPTERS.slice(0, 3).map((a) => a.id)).toEqual(['claude-code', 'cursor', 'vscode']);
    expect(ADAPTERS).toHaveLength(18);
  });

  it('honours the env overrides', () => {
    const env = (e: Record<string, string>): SystemInfo => ({ ...linux, env: e });
    expect(getAdapter('claude-code').locate(env({ CLAUDE_CONFIG_DIR: '/c' }), 'user').file).toBe('/c/.claude.json');
    expect(getAdapter('codex').locate(env({ CODEX_HOME: '/cx' }), 'user').file).toBe('/cx/config.toml');
    expect(getAdapter('gemini-cli').locate(env({ GEMINI_CLI_HOME: '/g' }), 'user').file).toBe('/g/.gemini/settings.json');
    expect(getAdapter('goose').locate(env({ GOOSE_PATH_ROOT: '/gr' }), 'user').file).toBe('/gr/config/config.yaml');
    expect(getAdapter('copilot-cli').locate(env({ COPILOT_HOME: '/cp' }), 'user').file).toBe('/cp/mcp-config.json');
    expect(getAdapter('zed').locate(env({ XDG_CONFIG_HOME: '/x' }), 'user').file).toBe('/x/zed/settings.json');
    expect(getAdapter('zed').locate(env({ XDG_CONFIG_HOME: '/x', FLATPAK_XDG_CONFIG_HOME: '/f' }), 'user').file).toBe('/f/zed/settings.json');
    // Zed on macOS ignores XDG; Goose on macOS follows it. [ZED-src][GOOSE-src]
    expect(getAdapter('zed').locate({ ...mac, env: { XDG_CONFIG_HOME: '/x' } }, 'user').file).toBe('/Users/ada/.config/zed/settings.json');
    expect(getAdapter('goose').locate({ ...mac, env: { XDG_CONFIG_HOME: '/x' } }, 'user').file).toBe('/x/goose/config.yaml');
    expect(getAdapter('opencode').locate(env({ XDG_CONFIG_HOME: '/x' }), 'user').file).toBe('/x/opencode/opencode.jsonc');
  });

  it('uses the client-specific formats and keys', () => {
    const shape = (id: ClientId) => {
      const l = getAdapter(id).locate(linux, 'user');
      return [l.format, l.serversPath.join('.'), l.listKey ?? ''];
    };
    expect(shape('vscode')).toEqual(['jsonc', 'servers', '']);
    expect(shape('zed')).toEqual(['jsonc', 'context_servers', '']);
    expect(shape('codex')).toEqual(['toml', 'mcp_servers', '']);
    expect(shape('goose')).toEqual(['yaml', 'extensions', '']);
    expect(shape('continue')).toEqual(['yaml', 'mcpServers', 'name']);
    expect(shape('opencode')).toEqual(['jsonc', 'mcp', '']);
    expect(getAdapter('claude-code').locate(linux, 'user').createMode).toBe(0o600);
  });
});

describe('files found on disk', () => {
  let t: TempHome;
  afterEach(() => t?.cleanup());
  const touch = async (file: string, text = '{}') => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  };

  it('Claude Desktop on Windows prefers any Claude_* MSIX package over the legacy file', async () => {
    t = await makeTempHome({ platform: 'win32' });
    const system: SystemInfo = { ...t.deps.system, viaWsl: true } as SystemInfo; // POSIX joins on a Windows layout
    const cd = getAdapter('claude-desktop');
    const local = path.join(t.home, 'AppData', 'Local', 'Packages');
    const legacy = path.join(t.home, 'AppData', 'Roaming', 'Claude', 'claude_desktop_config.json');
    expect((await locationsFor(cd, system, 'user')).map((l) => l.file)).toEqual([path.join(local, 'Claude_pzs8sxrjxfjjc', 'LocalCache', 'Roaming', 'Claude', 'claude_desktop_config.json')]);
    await touch(legacy);
    expect((await primaryLocation(cd, system, 'user')).file).toBe(legacy);
    await mkdir(path.join(local, 'Claude_abc123'), { recursive: true });
    const found = await locationsFor(cd, system, 'user');
    expect(found.map((l) => l.file)).toEqual([path.join(local, 'Claude_abc123', 'LocalCache', 'Roaming', 'Claude', 'claude_desktop_config.json'), legacy]);
    expect(found[1]?.label).toMatch(/ignored/);
  });

  it('opencode uses whichever of .json/.jsonc exists, and the v2 layout when the file has it', async () => {
    t = await makeTempHome();
    const oc = getAdapter('opencode');
    const dir = path.join(t.home, '.config', 'opencode');
    expect((await primaryLocation(oc, t.deps.system, 'user')).file).toBe(path.join(dir, 'opencode.jsonc'));
    await touch(path.join(dir, 'opencode.json'), '{"mcp": {"servers": {"a": {"type": "remote", "url": "https://a"}}}}');
    const [first] = await locationsFor(oc, t.deps.system, 'user');
    expect(first).toMatchObject({ file: path.join(dir, 'opencode.json'), serversPath: ['mcp', 'servers'] });
    await touch(path.join(t.cwd, '.opencode', 'opencode.jsonc'));
    expect((await primaryLocation(oc, t.deps.system, 'project')).file).toBe(path.join(t.cwd, '.opencode', 'opencode.jsonc'));
  });

  it('VS Code puts the active profile first and offers the others', async () => {
    t = await makeTempHome();
    const user = path.join(t.home, '.config', 'Code', 'User');
    await touch(
      path.join(user, 'globalStorage', 'storage.json'),
      JSON.stringify({
        userDataProfiles: [
          { location: '-4a1b2c3d', name: 'Work' },
          { location: { $mid: 1, path: `${user}/profiles/77aa`, scheme: 'file' }, name: 'Play' },
        ],
        profileAssociations: { workspaces: { [`file://${t.cwd}`]: '-4a1b2c3d', 'file:///elsewhere': '77aa' }, emptyWindows: {} },
      }),
    );
    expect(await readVsCodeProfiles(user, t.cwd)).toEqual({ profiles: [{ id: '-4a1b2c3d', name: 'Work' }, { id: '77aa', name: 'Play' }], active: '-4a1b2c3d' });
    const found = await locationsFor(getAdapter('vscode'), t.deps.system, 'user');
    expect(found.map((l) => [path.relative(user, l.file), l.label])).toEqual([
      [path.join('profiles', '-4a1b2c3d', 'mcp.json'), 'profile Work'],
      ['mcp.json', 'default profile'],
      [path.join('profiles', '77aa', 'mcp.json'), 'profile Play'],
    ]);
    // Another folder with no association, windows split between profiles: the default profile first.
    expect((await readVsCodeProfiles(user, '/some/where')).active).toBeNull();
  });

  it('Cline lists every host editor that has it, plus the Cline CLI', async () => {
    t = await makeTempHome();
    const ext = (host: string) => path.join(t.home, '.config', host, 'User', 'globalStorage', 'saoudrizwan.claude-dev');
    await mkdir(ext('Cursor'), { recursive: true });
    await mkdir(ext('VSCodium'), { recursive: true });
    await touch(path.join(t.home, '.cline', 'data', 'settings', 'cline_mcp_settings.json'));
    const found = await locationsFor(getAdapter('cline'), t.deps.system, 'user');
    expect(found.map((l) => l.label)).toEqual(['in Cursor', 'in VSCodium', 'Cline CLI']);
    expect(found[0]?.file).toBe(path.join(ext('Cursor'), 'settings', 'cline_mcp_settings.json'));
  });

  it('Antigravity and LM Studio fall back to an existing older file', async () => {
    t = await makeTempHome();
    await touch(path.join(t.home, '.gemini', 'antigravity', 'mcp_config.json'));
    expect((await primaryLocation(getAdapter('antigravity'), t.deps.system, 'user')).file).toBe(path.join(t.home, '.gemini', 'antigravity', 'mcp_config.json'));
    expect((await primaryLocation(getAdapter('lm-studio'), t.deps.system, 'user')).file).toBe(path.join(t.home, '.lmstudio', 'mcp.json'));
  });
});

describe('WSL: the Windows side', () => {
  let t: TempHome;
  afterEach(() => t?.cleanup());

  it('converts Windows paths to /mnt paths', () => {
    expect(windowsToWslPath('C:\\Users\\Ada Lovelace')).toBe('/mnt/c/Users/Ada Lovelace');
    expect(windowsToWslPath('D:/x/y', '/win')).toBe('/win/d/x/y');
    expect(windowsToWslPath('/home/ada')).toBeNull();
  });

  it('finds the Windows home from USERPROFILE, else the one user folder under the mount', async () => {
    t = await makeTempHome();
    const base = { ...t.deps.system, isWsl: true };
    expect(await windowsHomeFromWsl({ ...base, env: { USERPROFILE: 'C:\\Users\\ada' } })).toBe('/mnt/c/Users/ada');
    expect(await windowsHomeFromWsl({ ...base, env: { USERPROFILE: '/mnt/c/Users/ada' } })).toBe('/mnt/c/Users/ada');
    const mount = path.join(t.root, 'mnt');
    for (const d of ['Public', 'Default', 'ada']) await mkdir(path.join(mount, 'c', 'Users', d), { recursive: true });
    expect(await windowsHomeFromWsl({ ...base, env: {} }, mount)).toBe(path.join(mount, 'c', 'Users', 'ada'));
    await mkdir(path.join(mount, 'c', 'Users', 'bob'), { recursive: true });
    expect(await windowsHomeFromWsl({ ...base, env: {} }, mount)).toBeNull();
    expect(await windowsHomeFromWsl({ ...base, env: { USER: 'bob' } }, mount)).toBe(path.join(mount, 'c', 'Users', 'bob'));
  });

  it("offers a Windows app's Windows-side file first, and detects the app there", async () => {
    t = await makeTempHome();
    const winHome = path.join(t.root, 'mnt', 'c', 'Users', 'ada');
    const system: SystemInfo = { ...t.deps.system, isWsl: true, env: { ...t.deps.system.env, USERPROFILE: winHome } };
    const deps = { ...t.deps, system };
    const claude = path.join(winHome, 'AppData', 'Roaming', 'Claude');
    await mkdir(claude, { recursive: true });
    const cd = getAdapter('claude-desktop');
    const found = await locationsFor(cd, system, 'user');
    expect(found[0]).toMatchObject({ file: path.join(claude, 'claude_desktop_config.json'), label: 'Windows, classic install' });
    expect(found[1]?.file).toBe(path.join(t.home, '.config', 'Claude', 'claude_desktop_config.json'));
    expect(await detectClient(cd, deps)).toEqual({ installed: true, evidence: claude });
    const cursorFiles = (await locationsFor(getAdapter('cursor'), system, 'user')).map((l) => l.file);
    expect(cursorFiles).toEqual([path.join(winHome, '.cursor', 'mcp.json'), path.join(t.home, '.cursor', 'mcp.json')]);
    // CLI tools run inside WSL: no Windows side.
    expect(await locationsFor(getAdapter('codex'), system, 'user')).toHaveLength(1);
  });
});
