import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Deps, Platform, SystemInfo } from '../../src/services/deps.js';
import { findOnPath } from '../../src/services/which.js';

export interface TempHome {
  root: string;
  home: string;
  cwd: string;
  stateDir: string;
  deps: Deps;
  /** Environment for a child process that must see only the temp HOME. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/**
 * A throw-away HOME, project dir and state dir, plus Deps pointing at them. Nothing the code
 * under test does can reach the real user's files.
 */
export async function makeTempHome(options: { platform?: Platform; env?: Record<string, string>; path?: string } = {}): Promise<TempHome> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'mcp-setup-test-'));
  const home = path.join(root, 'home');
  const cwd = path.join(root, 'project');
  const stateDir = path.join(root, 'state');
  await Promise.all([mkdir(home, { recursive: true }), mkdir(cwd, { recursive: true })]);
  const env: Record<string, string> = {
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    MCP_SETUP_CONFIG_DIR: stateDir,
    PATH: options.path ?? path.join(root, 'bin'),
    ...options.env,
  };
  // As readSystem would see it when the built binary runs (bridge entries launch this).
  const launcher = { node: process.execPath, script: fileURLToPath(new URL('../../bin/mcp-setup.js', import.meta.url)) };
  const system: SystemInfo = { platform: options.platform ?? 'linux', home, cwd, env, isWsl: false, launcher };
  const deps: Deps = {
    system,
    fetch: globalThis.fetch,
    now: () => Date.now(),
    which: (command) => findOnPath(command, system),
    stateDir,
    // Tests never launch a GUI browser; auth tests replace this with a scripted HTTP browser.
    openBrowser: async () => false,
  };
  return { root, home, cwd, stateDir, deps, env, cleanup: () => rm(root, { recursive: true, force: true }) };
}
