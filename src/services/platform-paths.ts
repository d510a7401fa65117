import path from 'node:path';
import type { SystemInfo } from './deps.js';

/**
 * The per-OS base directories every adapter builds on, derived only from the injected SystemInfo
 * so a test can pretend to be macOS or Windows from a temp HOME.
 */
export interface BaseDirs {
  home: string;
  /** XDG config home on Linux (and for tools that use XDG on macOS too). */
  xdgConfig: string;
  /** %APPDATA% on Windows, ~/Library/Application Support on macOS, XDG config on Linux. */
  appData: string;
  /** %LOCALAPPDATA% on Windows; equals appData elsewhere. */
  localAppData: string;
  join: (...parts: string[]) => string;
}

export function pathApi(system: SystemInfo): path.PlatformPath {
  return system.platform === 'win32' ? path.win32 : path.posix;
}

export function baseDirs(system: SystemInfo): BaseDirs {
  const p = pathApi(system);
  const { env, home } = system;
  const xdgConfig = env.XDG_CONFIG_HOME && p.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : p.join(home, '.config');
  if (system.platform === 'win32') {
    const appData = env.APPDATA ?? p.join(home, 'AppData', 'Roaming');
    const localAppData = env.LOCALAPPDATA ?? p.join(home, 'AppData', 'Local');
    return { home, xdgConfig, appData, localAppData, join: p.join };
  }
  if (system.platform === 'darwin') {
    const appData = p.join(home, 'Library', 'Application Support');
    return { home, xdgConfig, appData, localAppData: appData, join: p.join };
  }
  return { home, xdgConfig, appData: xdgConfig, localAppData: xdgConfig, join: p.join };
}

/** mcp-setup's own state dir: MCP_SETUP_CONFIG_DIR, else the OS's usual config location. */
export function defaultStateDir(system: SystemInfo): string {
  const override = system.env.MCP_SETUP_CONFIG_DIR;
  if (override) return override;
  const dirs = baseDirs(system);
  return dirs.join(dirs.appData, 'mcp-setup');
}
