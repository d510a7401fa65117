import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Platform, SystemInfo } from '../deps.js';
import { UserError } from '../errors.js';
import { VERSION } from '../../version.js';
import type { RemoteServerSpec } from './types.js';

/**
 * The stdio entry that makes a stdio-only app (Claude Desktop) run `mcp-setup proxy` for a remote
 * server. Launching must work from a GUI app, which has neither the shell's PATH (nvm, volta,
 * Homebrew) nor a terminal:
 *
 * - `command` is the absolute path of the `node` that ran mcp-setup, never a bare `node`/`npx`.
 * - Installed copy (global install, a project's node_modules, a checkout): `node <real path of
 *   bin/mcp-setup.js> proxy …`. No network on app start, and the version is the installed one.
 * - Run from a throw-away cache (`npx mcp-setup`, pnpm dlx, bunx): that path disappears when
 *   the cache is pruned, so the entry runs `npx --yes mcp-setup@<this version>` instead, through
 *   npm's own npx-cli.js next to that node (again no PATH), pinned so an app restart never picks
 *   up a different release. Only when npx-cli.js can't be found does it fall back to an `npx`
 *   executable, wrapped in `cmd /c` on Windows (a .cmd shim can't be spawned directly).
 * - Secrets never go into `args` (visible to every process listing): a literal header becomes
 *   `--header "Name:${MCP_SETUP_HEADER_NAME}"` with the value in the entry's `env`, which the
 *   bridge expands itself. `envHeaders` reference the user's own variables the same way.
 */

export interface BridgeLaunch {
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** How the bridge is started: the installed script, or npx with a pinned version. */
  via: 'installed' | 'npx';
}

/** Paths of package-runner caches that can vanish (npx, pnpm dlx, bunx, yarn dlx). */
const EPHEMERAL = /[\\/](_npx|dlx-[^\\/]*|\.pnpm-store|bunx-[^\\/]*|xfs-[^\\/]*)[\\/]/i;

export function bridgeLaunch(spec: RemoteServerSpec, system: SystemInfo): BridgeLaunch {
  const launcher = system.launcher;
  if (!launcher?.node) {
    throw new UserError({ code: 'failed', message: "Can't tell which Node.js runs mcp-setup, so the bridge entry can't be written." });
  }
  const { args: proxyArgs, env } = proxyArguments(spec);
  const withEnv = Object.keys(env).length ? { env } : {};
  const paths = system.platform === 'win32' ? path.win32 : path.posix;
  if (launcher.script && !EPHEMERAL.test(launcher.script)) {
    return { command: launcher.node, args: [launcher.script, 'proxy', ...proxyArgs], ...withEnv, via: 'installed' };
  }
  const pinned = ['--yes', `mcp-setup@${VERSION}`, 'proxy', ...proxyArgs];
  const npxCli = npxCliNextTo(launcher.node, system.platform);
  if (npxCli) {
    // npx starts the package's bin through its `#!/usr/bin/env node` line: give it this node.
    const pathEnv: Record<string, string> = system.platform === 'win32' ? {} : { PATH: [paths.dirname(launcher.node), '/usr/bin', '/bin'].join(':') };
    return { command: launcher.node, args: [npxCli, ...pinned], env: { ...env, ...pathEnv }, via: 'npx' };
  }
  const npx = paths.join(paths.dirname(launcher.node), system.platform === 'win32' ? 'npx.cmd' : 'npx');
  return { ...wrapForWindows(system.platform, npx, pinned), ...withEnv, via: 'npx' };
}

/** `URL --name N --header "K:${VAR}"…` plus the env holding literal header values. */
export function proxyArguments(spec: RemoteServerSpec): { args: string[]; env: Record<string, string> } {
  const args = [spec.url, '--name', spec.name];
  const env: Record<string, string> = {};
  for (const [header, value] of Object.entries(spec.headers ?? {})) {
    const variable = `MCP_SETUP_HEADER_${header.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    env[variable] = value;
    // No space after the colon: some apps split arguments on spaces when they spawn.
    args.push('--header', `${header}:\${${variable}}`);
  }
  for (const [header, ref] of Object.entries(spec.envHeaders ?? {})) {
    args.push('--header', `${header}:${ref.prefix ?? ''}\${${ref.env}}`);
  }
  return { args, env };
}

/** What `bridgeLaunch` wrote, read back: the server URL and name, or undefined for any other entry. */
export function bridgeTargetOf(entry: unknown): { url: string; name?: string } | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const args = (entry as { args?: unknown }).args;
  if (!Array.isArray(args)) return undefined;
  const at = args.indexOf('proxy');
  if (at < 0) return undefined;
  const before = args.slice(0, at).join(' ');
  if (!/mcp-setup/.test(before) && !/mcp-setup/.test(String((entry as { command?: unknown }).command))) return undefined;
  const url = args[at + 1];
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return undefined;
  const nameAt = args.indexOf('--name', at);
  const name = nameAt > 0 ? args[nameAt + 1] : undefined;
  return { url, ...(typeof name === 'string' ? { name } : {}) };
}

/**
 * An mcp-remote entry (what install-mcp and many guides write for Claude Desktop):
 * `npx [-y] mcp-remote[@version] URL [port] [--header "Name:value"]…`, or mcp-remote's own bin
 * or script. Read back as the remote server it bridges to, so `list` and `doctor` can check it.
 */
export function mcpRemoteTargetOf(entry: unknown): { url: string } | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { command, args } = entry as { command?: unknown; args?: unknown };
  if (!Array.isArray(args)) return undefined;
  const words = [typeof command === 'string' ? command : '', ...args.map((a) => (typeof a === 'string' ? a : ''))];
  const at = words.findIndex((w) => /(^|[\\/@])mcp-remote(@[^\s/]*)?$|[\\/]mcp-remote[\\/]/.test(w));
  if (at < 0) return undefined;
  const url = words.slice(at + 1).find((w) => /^https?:\/\//i.test(w));
  return url ? { url } : undefined;
}

function npxCliNextTo(node: string, platform: Platform): string | undefined {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const dir = paths.dirname(node);
  const candidates =
    platform === 'win32'
      ? [paths.join(dir, 'node_modules', 'npm', 'bin', 'npx-cli.js')]
      : [paths.join(dir, '..', 'lib', 'node_modules', 'npm', 'bin', 'npx-cli.js'), paths.join(dir, 'node_modules', 'npm', 'bin', 'npx-cli.js')];
  return candidates.map((c) => paths.normalize(c)).find((c) => existsSync(c));
}

/** Windows can't spawn a .cmd shim directly: `cmd /c` runs it (what install-mcp and smithery do). */
export function wrapForWindows(platform: Platform, command: string, args: string[]): { command: string; args: string[] } {
  if (platform === 'win32' && (/\.(cmd|bat)$/i.test(command) || /^(npx|npm|pnpm|yarn|bunx)$/i.test(command))) return { command: 'cmd', args: ['/c', command, ...args] };
  return { command, args };
}
