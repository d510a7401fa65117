import { existsSync } from 'node:fs';
import type { SystemInfo } from '../deps.js';

export type HeadlessReason = 'ssh' | 'no-display' | 'container' | 'ci' | 'no-browser';

export interface HeadlessInfo {
  headless: boolean;
  reason?: HeadlessReason;
  /** Set when the session is SSH: the command to run on the user's own machine. */
  ssh?: { user: string; host: string; port: number };
}

/**
 * Can a browser launched here reach the user? `open` resolves even when no browser starts, so
 * we decide from the environment (the signals gcloud, gemini-cli and `is-in-ssh` use).
 * `exists` is injectable so tests don't depend on whether they run in a container.
 */
export function detectHeadless(system: SystemInfo, exists: (path: string) => boolean = existsSync): HeadlessInfo {
  const env = system.env;
  const ssh = sshOrigin(system);
  if (env.SSH_CONNECTION || env.SSH_CLIENT || env.SSH_TTY) return { headless: true, reason: 'ssh', ...(ssh ? { ssh } : {}) };
  if (env.CI && env.CI !== 'false' && env.CI !== '0') return { headless: true, reason: 'ci' };
  if (env.BROWSER === 'www-browser' || env.DEBIAN_FRONTEND === 'noninteractive') return { headless: true, reason: 'no-browser' };
  // An explicit $BROWSER is the user's own way to open links (a forwarder, a script): honour it.
  if (env.BROWSER) return { headless: false };
  if (system.platform === 'linux') {
    // WSL reaches the Windows browser through PowerShell, so it needs no X/Wayland display.
    if (!system.isWsl && !env.DISPLAY && !env.WAYLAND_DISPLAY && !env.MIR_SOCKET) return { headless: true, reason: 'no-display' };
    if (env.container || env.KUBERNETES_SERVICE_HOST || exists('/.dockerenv') || exists('/run/.containerenv')) {
      return { headless: true, reason: 'container' };
    }
  }
  return { headless: false };
}

/** Where the user's SSH session comes from: SSH_CONNECTION is "client_ip client_port server_ip server_port". */
function sshOrigin(system: SystemInfo): HeadlessInfo['ssh'] | undefined {
  const parts = (system.env.SSH_CONNECTION ?? '').trim().split(/\s+/);
  const host = parts[2];
  const port = Number(parts[3] ?? '22');
  if (!host || !/^[0-9a-fA-F.:]+$/.test(host) || !Number.isInteger(port)) return undefined;
  const rawUser = system.env.USER ?? system.env.LOGNAME ?? '';
  const user = /^[A-Za-z0-9._-]{1,64}$/.test(rawUser) ? rawUser : '<user>';
  return { user, host, port };
}

/**
 * The port forward that lets the user's own browser reach our loopback listener on this host.
 * Run on the user's machine; `-N` because no remote command is needed.
 */
export function sshTunnelHint(system: SystemInfo, callbackPort: number): string | undefined {
  const origin = sshOrigin(system);
  if (!origin) return undefined;
  const portFlag = origin.port === 22 ? '' : ` -p ${origin.port}`;
  return `ssh -N -L ${callbackPort}:127.0.0.1:${callbackPort}${portFlag} ${origin.user}@${origin.host}`;
}
