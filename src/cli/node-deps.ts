import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { AuthDeps } from '../services/auth/types.js';
import type { Env, Platform, SystemInfo } from '../services/deps.js';
import { defaultStateDir } from '../services/platform-paths.js';
import { findOnPath } from '../services/which.js';
import { isSafeBrowserUrl } from '../services/browser-url.js';
import { createFetch } from '../services/net.js';

/** The real machine, read once here (the only place that looks at process/os for paths). */
export function readSystem(env: Env, cwd: string, platform: NodeJS.Platform): SystemInfo {
  const plat: Platform = platform === 'win32' || platform === 'darwin' ? platform : 'linux';
  const home = (plat === 'win32' ? env.USERPROFILE : env.HOME) || env.HOME || os.homedir();
  return { platform: plat, home, cwd, env, isWsl: plat === 'linux' && detectWsl(env) };
}

function detectWsl(env: Env): boolean {
  if (env.WSL_DISTRO_NAME || env.WSL_INTEROP) return true;
  try {
    return /microsoft/i.test(readFileSync('/proc/version', 'utf8'));
  } catch {
    return false;
  }
}

export function buildDeps(system: SystemInfo, version: string): AuthDeps {
  const tokenStore = system.env.MCP_SETUP_TOKEN_STORE;
  return {
    system,
    authConfig: {
      tokenStore: tokenStore === 'file' || tokenStore === 'keychain' ? tokenStore : 'auto',
      softwareVersion: version,
    },
    fetch: createFetch({ env: system.env }),
    now: () => Date.now(),
    which: (command) => findOnPath(command, system),
    stateDir: defaultStateDir(system),
    async openBrowser(url) {
      if (!isSafeBrowserUrl(url)) return false;
      try {
        const { default: open } = await import('open');
        const child = await open(url, { wait: false });
        child.on('error', () => {});
        child.unref();
        return true;
      } catch {
        return false;
      }
    },
  };
}
