import { promises as fs, constants } from 'node:fs';
import { pathApi } from './platform-paths.js';
import type { SystemInfo } from './deps.js';

/** Find an executable on PATH the way the shell would (PATHEXT on Windows: code.cmd, claude.exe). */
export async function findOnPath(command: string, system: SystemInfo): Promise<string | null> {
  const p = pathApi(system);
  const pathVar = system.env.PATH ?? system.env.Path ?? '';
  const dirs = pathVar.split(system.platform === 'win32' ? ';' : ':').filter(Boolean);
  const exts = system.platform === 'win32' ? (system.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean) : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = p.join(dir, command + ext.toLowerCase());
      try {
        await fs.access(candidate, system.platform === 'win32' ? constants.F_OK : constants.X_OK);
        const stat = await fs.stat(candidate);
        if (stat.isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}
