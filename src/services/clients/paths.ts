import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SystemInfo } from '../deps.js';
import { baseDirs, type BaseDirs } from '../platform-paths.js';

/**
 * Path helpers the adapters share. They build on `baseDirs` and add one case it can't know: the
 * Windows side of a WSL machine, which has the Windows layout (AppData, Packages…) but is reached
 * through POSIX paths under /mnt/<drive>.
 */

/** A Windows user's files seen from WSL: Windows layout, POSIX paths. */
export interface WindowsViewFromWsl extends SystemInfo {
  platform: 'win32';
  viaWsl: true;
}

function isWindowsView(system: SystemInfo): system is WindowsViewFromWsl {
  return (system as Partial<WindowsViewFromWsl>).viaWsl === true;
}

export function clientDirs(system: SystemInfo): BaseDirs {
  if (!isWindowsView(system)) return baseDirs(system);
  const home = system.home;
  const appData = system.env.APPDATA ?? path.posix.join(home, 'AppData', 'Roaming');
  const localAppData = system.env.LOCALAPPDATA ?? path.posix.join(home, 'AppData', 'Local');
  return { home, xdgConfig: path.posix.join(home, '.config'), appData, localAppData, join: path.posix.join };
}

/** `C:\Users\me` → `/mnt/c/Users/me` (WSL's default automount). */
export function windowsToWslPath(windowsPath: string, mountRoot = '/mnt'): string | null {
  const match = /^([A-Za-z]):[\\/]*(.*)$/.exec(windowsPath);
  if (!match) return null;
  const [, drive = '', rest = ''] = match;
  const parts = rest.split(/[\\/]+/).filter(Boolean);
  return path.posix.join(mountRoot, drive.toLowerCase(), ...parts);
}

const NOT_USERS = new Set(['public', 'default', 'default user', 'all users', 'wdagutilityaccount', 'desktop.ini', 'defaultapppool']);

/**
 * The Windows user's home as a WSL path, the way Claude Code's own import logic finds it
 * (clients.md §1, Claude Desktop row): USERPROFILE when it is shared into WSL (`WSLENV=USERPROFILE/p`
 * gives a POSIX path, a plain share gives `C:\Users\me`), else the one real user folder under
 * `<mount>/c/Users` (matching $USER when there are several). Null when it can't be told.
 */
export async function windowsHomeFromWsl(system: SystemInfo, mountRoot = '/mnt'): Promise<string | null> {
  const profile = system.env.USERPROFILE;
  if (profile && profile !== system.home) {
    if (profile.startsWith('/')) return profile;
    const converted = windowsToWslPath(profile, mountRoot);
    if (converted) return converted;
  }
  const usersDir = path.posix.join(mountRoot, 'c', 'Users');
  let names: string[];
  try {
    const entries = await fs.readdir(usersDir, { withFileTypes: true });
    names = entries.filter((e) => e.isDirectory() && !NOT_USERS.has(e.name.toLowerCase())).map((e) => e.name);
  } catch {
    return null;
  }
  const user = system.env.USER?.toLowerCase();
  const match = user ? names.find((n) => n.toLowerCase() === user) : undefined;
  if (match) return path.posix.join(usersDir, match);
  return names.length === 1 ? path.posix.join(usersDir, names[0] as string) : null;
}

/** The SystemInfo adapters get to compute Windows-side paths from WSL. */
export function windowsView(system: SystemInfo, windowsHome: string): WindowsViewFromWsl {
  return {
    platform: 'win32',
    home: windowsHome,
    cwd: system.cwd,
    // Windows' own environment isn't visible from WSL: derive the usual folders from the home.
    env: {},
    isWsl: false,
    viaWsl: true,
  };
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}

/** Subdirectories of `dir` whose names match, sorted; [] when `dir` is missing. */
export async function subdirs(dir: string, match: (name: string) => boolean): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && match(e.name)).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/** The locations whose files exist (in the given order), or `[fallback]` when none does. */
export async function existingOr<T extends { file: string }>(locations: T[], fallback: T): Promise<T[]> {
  const found: T[] = [];
  for (const location of locations) if (await exists(location.file)) found.push(location);
  return found.length > 0 ? found : [fallback];
}
