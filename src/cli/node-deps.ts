import { spawn } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import type { AuthDeps } from '../services/auth/types.js';
import type { Env, Platform, SystemInfo } from '../services/deps.js';
import { defaultStateDir } from '../services/platform-paths.js';
import { findOnPath } from '../services/which.js';
import { safeBrowserUrl } from '../services/auth/safety.js';
import { createFetch } from '../services/net.js';

/** The real machine, read once here (the only place that looks at process/os for paths). */
export function readSystem(env: Env, cwd: string, platform: NodeJS.Platform): SystemInfo {
  const plat: Platform = platform === 'win32' || platform === 'darwin' ? platform : 'linux';
  const home = (plat === 'win32' ? env.USERPROFILE : env.HOME) || env.HOME || os.homedir();
  return { platform: plat, home, cwd, env, isWsl: plat === 'linux' && detectWsl(env), launcher: { node: process.execPath, ...scriptPath(process.argv[1]) } };
}

/** npm links bin/mcp-setup.js from node_modules/.bin: keep the real file, which survives PATH changes. */
function scriptPath(argv1: string | undefined): { script?: string } {
  if (!argv1) return {};
  try {
    return { script: realpathSync(argv1) };
  } catch {
    return {};
  }
}

function detectWsl(env: Env): boolean {
  if (env.WSL_DISTRO_NAME || env.WSL_INTEROP) return true;
  try {
    return /microsoft/i.test(readFileSync('/proc/version', 'utf8'));
  } catch {
    return false;
  }
}

/**
 * $BROWSER, as xdg-open and git read it: a command, with %s standing for the URL (else the URL
 * is appended). Run without a shell so the URL can never be interpreted as shell syntax.
 */
function launchBrowserCommand(browser: string, url: string): Promise<boolean> {
  const words = browser.split(/\s+/).filter(Boolean);
  const [command, ...rest] = words;
  if (!command) return Promise.resolve(false);
  const args = rest.some((w) => w.includes('%s')) ? rest.map((w) => w.replaceAll('%s', url)) : [...rest, url];
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
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
      // Server metadata is untrusted: only plain http(s) links reach a browser launcher.
      const safe = safeBrowserUrl(url);
      if (!safe) return false;
      url = safe;
      const browser = system.env.BROWSER;
      if (browser && browser !== 'www-browser') return launchBrowserCommand(browser, url);
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
