import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SystemInfo } from '../deps.js';
import { clientDirs, exists } from './paths.js';
import { dollarEnv, summarizeEntry, typedUrlEntry } from './shared.js';
import type { ClientAdapter, ConfigLocation, Scope } from './types.js';

/**
 * VS Code reads `servers` (not `mcpServers`: that key is a silent no-op) from a JSONC file: the
 * user profile's mcp.json under the Code user dir, or `.vscode/mcp.json` in a workspace. `type`
 * is required for remote entries. [VSC-ref]
 *
 * Profiles [VSC-prof]: a non-default profile has its own `User/profiles/<id>/mcp.json`. Which
 * profile a window uses is recorded in `User/globalStorage/storage.json`
 * (`userDataProfiles` + `profileAssociations`). We put first the profile associated with the
 * current folder, else the one every remembered window uses, else the default profile, and
 * offer the other profiles' files after it (listed and editable, never guessed silently).
 */

interface Profile {
  id: string;
  name: string;
}

const DEFAULT_PROFILE = '__default__profile__';

function profileId(location: unknown): string | null {
  const raw = typeof location === 'string' ? location : typeof location === 'object' && location !== null ? (location as { path?: unknown }).path : null;
  if (typeof raw !== 'string' || raw === '') return null;
  return raw.includes('/') ? path.posix.basename(raw) : raw;
}

function normaliseFolder(uriOrPath: string): string {
  let p = uriOrPath;
  if (p.startsWith('file://')) {
    try {
      p = decodeURIComponent(p.slice('file://'.length));
    } catch {
      // keep as is
    }
  }
  return p.replace(/\\/g, '/').replace(/^\/(?=[A-Za-z]:)/, '').replace(/\/+$/, '').toLowerCase();
}

/** The profiles in storage.json and the id of the one a window on `cwd` would use (null = default). */
export async function readVsCodeProfiles(userDir: string, cwd: string): Promise<{ profiles: Profile[]; active: string | null }> {
  let storage: Record<string, unknown>;
  try {
    storage = JSON.parse(await fs.readFile(path.join(userDir, 'globalStorage', 'storage.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return { profiles: [], active: null };
  }
  const list = Array.isArray(storage.userDataProfiles) ? storage.userDataProfiles : [];
  const profiles = list.flatMap((p: unknown) => {
    const rec = (p ?? {}) as Record<string, unknown>;
    const id = profileId(rec.location);
    return id ? [{ id, name: typeof rec.name === 'string' ? rec.name : id }] : [];
  });
  const assoc = (storage.profileAssociations ?? {}) as Record<string, unknown>;
  const workspaces = (assoc.workspaces ?? {}) as Record<string, unknown>;
  const empty = (assoc.emptyWindows ?? {}) as Record<string, unknown>;
  const known = (id: unknown): string | null => (typeof id === 'string' && profiles.some((p) => p.id === id) ? id : null);
  const here = normaliseFolder(cwd);
  const forCwd = Object.entries(workspaces).find(([uri]) => normaliseFolder(uri) === here);
  if (forCwd) return { profiles, active: known(forCwd[1]) };
  const used = new Set([...Object.values(workspaces), ...Object.values(empty)].filter((v) => typeof v === 'string'));
  const only = used.size === 1 ? [...used][0] : undefined;
  return { profiles, active: only && only !== DEFAULT_PROFILE ? known(only) : null };
}

export function makeVsCode(options: { id: 'vscode' | 'vscode-insiders'; displayName: string; dirName: string; command: string; serverDir: string }): ClientAdapter {
  const userDir = (system: SystemInfo) => {
    const dirs = clientDirs(system);
    return dirs.join(dirs.appData, options.dirName, 'User');
  };
  const adapter: ClientAdapter = {
    id: options.id,
    displayName: options.displayName,
    scopes: ['user', 'project'],
    defaultScope: 'user',
    locate(system, scope) {
      const dirs = clientDirs(system);
      const file = scope === 'project' ? dirs.join(system.cwd, '.vscode', 'mcp.json') : dirs.join(userDir(system), 'mcp.json');
      return { file, format: 'jsonc', serversPath: ['servers'] };
    },
    async candidates(system, scope: Scope) {
      const base = adapter.locate(system, scope);
      if (scope !== 'user') return [base];
      const dirs = clientDirs(system);
      const user = userDir(system);
      const { profiles, active } = await readVsCodeProfiles(user, system.cwd);
      const profileLocation = (p: Profile): ConfigLocation => ({ ...base, file: dirs.join(user, 'profiles', p.id, 'mcp.json'), label: `profile ${p.name}` });
      const activeProfile = profiles.find((p) => p.id === active);
      const out: ConfigLocation[] = [];
      if (activeProfile) out.push(profileLocation(activeProfile));
      out.push(profiles.length > 0 ? { ...base, label: 'default profile' } : base);
      out.push(...profiles.filter((p) => p !== activeProfile).map(profileLocation));
      // VS Code Server (Remote - SSH / WSL) keeps a separate remote user configuration. [VSC-ref]
      if (system.platform !== 'win32') {
        const remote = dirs.join(system.home, options.serverDir, 'data', 'User');
        if (await exists(remote)) out.push({ ...base, file: dirs.join(remote, 'mcp.json'), label: 'remote (VS Code Server)' });
      }
      return out;
    },
    detection(system) {
      return { paths: [userDir(system)], commands: [options.command] };
    },
    remoteEntry(spec) {
      return typedUrlEntry(spec, adapter);
    },
    summarize: summarizeEntry,
    nextStep: `In ${options.displayName}, run "MCP: List Servers", pick the server and choose Start.`,
    envHeaders: dollarEnv,
    toolFilter: null,
    windowsApp: true,
  };
  return adapter;
}

export const vscode = makeVsCode({ id: 'vscode', displayName: 'VS Code', dirName: 'Code', command: 'code', serverDir: '.vscode-server' });
export const vscodeInsiders = makeVsCode({
  id: 'vscode-insiders',
  displayName: 'VS Code Insiders',
  dirName: 'Code - Insiders',
  command: 'code-insiders',
  serverDir: '.vscode-server-insiders',
});
