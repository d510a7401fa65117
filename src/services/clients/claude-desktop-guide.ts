import { isIP } from 'node:net';
import type { Platform } from '../deps.js';

/**
 * Claude Desktop has two ways to reach a remote server, and the wizard offers both:
 * - Connectors (Settings → Connectors): the connection is made from Anthropic's cloud, so the
 *   URL must be public HTTPS; the app runs its own sign-in. Nothing is written to a file.
 * - The local bridge: an entry in claude_desktop_config.json runs `mcp-setup proxy`, which
 *   connects from this machine (private, VPN and loopback servers work) with mcp-setup's sign-in.
 * Either way the app must be fully quit (not just its window closed) to notice a change.
 */

export type ConnectorsCheck =
  | { ok: true; url: string }
  | { ok: false; reason: 'invalid' | 'not-https' | 'loopback' | 'private' | 'local-name'; message: string };

/**
 * Whether Anthropic's cloud could plausibly reach `url`: HTTPS on a public-looking host. Only the
 * name is checked (no DNS lookup), so a public name that resolves to a private address passes.
 */
export function connectorsCheck(raw: string): ConnectorsCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'invalid', message: 'That is not a URL.' };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopback(host)) return { ok: false, reason: 'loopback', message: `${host} is this computer; Anthropic's cloud can't reach it.` };
  if (isPrivateAddress(host)) return { ok: false, reason: 'private', message: `${host} is a private network address; Anthropic's cloud can't reach it.` };
  if (isLocalName(host)) return { ok: false, reason: 'local-name', message: `${host} is a local network name; Anthropic's cloud can't reach it.` };
  if (url.protocol !== 'https:') return { ok: false, reason: 'not-https', message: 'Connectors need an https:// URL.' };
  return { ok: true, url: url.href };
}

/** The clicks, in order, to add a custom connector. */
export function connectorSteps(url: string): string[] {
  return [
    'Open Claude Desktop → Settings → Connectors.',
    'Click "Add custom connector".',
    `Paste the URL: ${url}`,
    'Click Add, then Connect and sign in if the server asks.',
  ];
}

/** How to fully quit the app so it re-reads its config (closing the window leaves it running). */
export function quitInstructions(platform: Platform, wsl = false): string {
  if (platform === 'darwin') return 'Quit Claude Desktop completely: Claude menu → Quit Claude (⌘Q), not just the red close button. Then open it again.';
  if (platform === 'win32' || wsl) return 'Quit Claude Desktop completely: right-click the Claude icon in the system tray (by the clock) → Quit. Closing the window leaves it running. Then open it again.';
  return 'Quit Claude Desktop completely: use its tray icon → Quit (or File → Quit); closing the window may leave it running. Then open it again.';
}

/** Why each path, for the choice screen. */
export const PATHS = {
  connectors: 'Connectors: added in the app, connects from Anthropic’s cloud. Needs a public https:// URL; the app signs in itself.',
  bridge: 'Local bridge: mcp-setup writes the config file; the app runs "mcp-setup proxy" on this computer. Works for private, VPN and localhost servers; uses your mcp-setup sign-in.',
} as const;

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.') || host === '0.0.0.0';
  if (isIP(host) === 6) return host === '::1' || host === '::' || /^::ffff:127\./.test(host);
  return false;
}

function isPrivateAddress(host: string): boolean {
  if (isIP(host) === 4) {
    const [a = 0, b = 0] = host.split('.').map(Number);
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (isIP(host) === 6) return /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || /^::ffff:(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host);
  return false;
}

function isLocalName(host: string): boolean {
  if (isIP(host)) return false;
  return !host.includes('.') || /\.(local|lan|internal|intranet|home|corp|home\.arpa|test|invalid)$/.test(host);
}
