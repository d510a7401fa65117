import { promises as fs } from 'node:fs';
import type { SystemInfo } from '../deps.js';
import { parseJsonc } from '../formats/jsonc.js';
import { clientDirs, exists } from './paths.js';
import { headersField, summarizeEntry } from './shared.js';
import type { ClientAdapter, ConfigLocation, Scope } from './types.js';

/**
 * opencode: JSONC `opencode.json` or `opencode.jsonc` (its CLI creates `.jsonc`) in
 * XDG/opencode — xdg-basedir, so ~/.config on Windows too — or at the project root /
 * `.opencode/`. OPENCODE_CONFIG names an extra file that wins. Entries are
 * `{type: "remote", url, headers?}` under `mcp` (v1) or `mcp.servers` (v2, used when the file
 * already has it). The per-entry schema rejects unknown keys, so nothing else is written.
 * Values may reference `{env:VAR}`. [OC-run][OC]
 */
function globalDir(system: SystemInfo): string {
  const dirs = clientDirs(system);
  return dirs.join(dirs.xdgConfig, 'opencode');
}

async function withLayout(location: ConfigLocation): Promise<ConfigLocation> {
  try {
    const { value } = parseJsonc(await fs.readFile(location.file, 'utf8'), location.file);
    const mcp = value.mcp as Record<string, unknown> | undefined;
    const servers = mcp?.servers;
    // v2 nests servers one level down; a v1 server called "servers" would have its own `type`.
    if (typeof servers === 'object' && servers !== null && !Array.isArray(servers) && !('type' in servers)) {
      return { ...location, serversPath: ['mcp', 'servers'] };
    }
  } catch {
    // Missing or unparsable: the default layout; listing reports the parse error.
  }
  return location;
}

export const opencode: ClientAdapter = {
  id: 'opencode',
  displayName: 'opencode',
  scopes: ['user', 'project'],
  defaultScope: 'user',
  locate(system, scope) {
    const dirs = clientDirs(system);
    const file = scope === 'project' ? dirs.join(system.cwd, 'opencode.json') : dirs.join(globalDir(system), 'opencode.jsonc');
    return { file, format: 'jsonc', serversPath: ['mcp'] };
  },
  async candidates(system, scope: Scope) {
    const dirs = clientDirs(system);
    const base = opencode.locate(system, scope);
    const files =
      scope === 'project'
        ? ['opencode.jsonc', 'opencode.json', dirs.join('.opencode', 'opencode.jsonc'), dirs.join('.opencode', 'opencode.json')].map((f) => dirs.join(system.cwd, f))
        : ['opencode.jsonc', 'opencode.json'].map((f) => dirs.join(globalDir(system), f));
    const found: ConfigLocation[] = [];
    const custom = scope === 'user' ? system.env.OPENCODE_CONFIG : undefined;
    if (custom && (await exists(custom))) found.push({ ...base, file: custom, label: 'OPENCODE_CONFIG' });
    for (const file of files) if (await exists(file)) found.push({ ...base, file });
    return Promise.all((found.length > 0 ? found : [base]).map(withLayout));
  },
  detection(system) {
    return { paths: [globalDir(system)], commands: ['opencode'] };
  },
  remoteEntry(spec) {
    return { type: 'remote', url: spec.url, ...headersField(spec, opencode) };
  },
  summarize: summarizeEntry,
  nextStep: 'Start a new opencode session; `opencode mcp list` shows the server.',
  envHeaders: { kind: 'template', reference: (name) => `{env:${name}}` },
  toolFilter: null,
};
