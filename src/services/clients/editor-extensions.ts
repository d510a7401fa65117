import type { SystemInfo } from '../deps.js';
import { clientDirs, exists } from './paths.js';
import type { ConfigLocation } from './types.js';

/**
 * Cline and Roo Code keep their settings inside the *host editor's* globalStorage, so each of
 * VS Code, Insiders, Cursor, Windsurf and VSCodium (and a VS Code Server) has its own file.
 * [CL-src][ROO-src]
 */
const HOSTS: { dir: string; name: string }[] = [
  { dir: 'Code', name: 'VS Code' },
  { dir: 'Code - Insiders', name: 'VS Code Insiders' },
  { dir: 'Cursor', name: 'Cursor' },
  { dir: 'Windsurf', name: 'Windsurf' },
  { dir: 'VSCodium', name: 'VSCodium' },
];

function storageDirs(system: SystemInfo, extensionId: string): { dir: string; label: string }[] {
  const dirs = clientDirs(system);
  const local = HOSTS.map((h) => ({ dir: dirs.join(dirs.appData, h.dir, 'User', 'globalStorage', extensionId), label: `in ${h.name}` }));
  if (system.platform === 'win32') return local;
  return [...local, { dir: dirs.join(system.home, '.vscode-server', 'data', 'User', 'globalStorage', extensionId), label: 'in VS Code Server' }];
}

export function extensionDefault(system: SystemInfo, extensionId: string, relFile: string[]): ConfigLocation {
  const dirs = clientDirs(system);
  const first = storageDirs(system, extensionId)[0] as { dir: string; label: string };
  return { file: dirs.join(first.dir, ...relFile), format: 'json', serversPath: ['mcpServers'] };
}

/** One location per host editor that has the extension's storage folder; the VS Code one when none has. */
export async function extensionCandidates(system: SystemInfo, extensionId: string, relFile: string[]): Promise<ConfigLocation[]> {
  const dirs = clientDirs(system);
  const found: ConfigLocation[] = [];
  for (const s of storageDirs(system, extensionId)) {
    if (await exists(s.dir)) found.push({ file: dirs.join(s.dir, ...relFile), format: 'json', serversPath: ['mcpServers'], label: s.label });
  }
  return found.length > 0 ? found : [extensionDefault(system, extensionId, relFile)];
}

export function extensionDetectionPaths(system: SystemInfo, extensionId: string): string[] {
  return storageDirs(system, extensionId).map((s) => s.dir);
}
