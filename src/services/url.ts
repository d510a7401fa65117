/** Server URL normalisation and validation, and server-name suggestions. */
import { UserError } from './errors.js';

export type UrlCheck = { ok: true; url: string } | { ok: false; message: string; hint?: string };

const MAX_URL_LENGTH = 2048;

/**
 * What makes two configured URLs the same server: scheme and host case-folded, no fragment, no
 * trailing slash. No policy here (unlike normalizeServerUrl): a config may hold plain http to
 * another host, and it is still that server.
 */
export function serverUrlKey(url: string): string {
  try {
    const u = new URL(url.trim());
    return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}${u.search}`;
  } catch {
    return url.trim();
  }
}

export function sameServerUrl(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined ? a === b : serverUrlKey(a) === serverUrlKey(b);
}

/** host[:port] of a URL for messages, or the text itself when it doesn't parse. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Trim what people paste around a URL (spaces, quotes, angle brackets, trailing slashes), then
 * insist on http(s), a host, and https unless the server is on this machine.
 */
export function normalizeServerUrl(input: string): UrlCheck {
  let raw = input.trim().replace(/^["'<]+|["'>]+$/g, '').trim();
  if (raw === '') return { ok: false, message: 'Enter the server URL, e.g. https://api.example.com/mcp' };
  if (raw.length > MAX_URL_LENGTH) return { ok: false, message: `That URL is longer than ${MAX_URL_LENGTH} characters.` };
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) {
    return { ok: false, message: 'The URL contains spaces or control characters.', hint: 'Paste just the URL.' };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (!raw.includes('://')) {
    if (scheme && scheme !== 'localhost' && !/^\d+$/.test(raw.slice(scheme.length + 1).split('/')[0] ?? '')) {
      return { ok: false, message: `"${scheme}:" URLs are not MCP servers.`, hint: 'Use an https:// URL.' };
    }
    raw = `${/^(localhost|127\.|\[::1\])/i.test(raw) ? 'http' : 'https'}://${raw}`;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: "That doesn't look like a URL.", hint: 'Expected something like https://api.example.com/mcp' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: `"${url.protocol}" URLs are not MCP servers.`, hint: 'Use an https:// URL.' };
  }
  if (!url.hostname) return { ok: false, message: 'The URL has no host name.' };
  if (url.username || url.password) {
    return {
      ok: false,
      message: 'The URL contains a user name or password.',
      hint: 'Remove them from the URL and pass credentials with --header instead.',
    };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return {
      ok: false,
      message: 'Plain http:// is only allowed for servers on this machine.',
      hint: `Use https://${url.host}${url.pathname === '/' ? '' : url.pathname}`,
    };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, url: `${url.protocol}//${url.host}${path}${url.search}` };
}

const GENERIC_SEGMENTS = new Set(['mcp', 'sse', 'api', 'v1', 'v2', 'v3', 'server', 'servers', 'remote', 'http', 'stream', 'streamable', 'public', 'rpc', 'message', 'messages']);
const GENERIC_HOST_LABELS = new Set(['www', 'api', 'mcp', 'app', 'server', 'remote', 'gateway', 'com', 'net', 'org', 'io', 'ai', 'dev', 'co', 'cloud', 'localhost']);

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

export function validateServerName(name: string): { ok: true } | { ok: false; message: string } {
  if (name === '') return { ok: false, message: 'Enter a name for this server.' };
  if (name.length > 32) return { ok: false, message: 'Names can be at most 32 characters (some apps cut longer ones).' };
  if (!NAME_PATTERN.test(name)) {
    return { ok: false, message: 'Use letters, digits, "-" and "_" only, starting with a letter or digit (every app accepts these).' };
  }
  return { ok: true };
}

/** Lower-case, replace anything outside [a-z0-9_-] with "-", and fit the 32-character limit. */
export function slugifyName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 32)
    .replace(/[-_]+$/, '');
}

/**
 * Suggest a server name. Gateways host many servers on one host (e.g.
 * https://mcp.portkey.ai/<workspace>/<server>/mcp), so the most specific non-generic path segment
 * wins; then the server's own name from initialize; the host only as a last resort.
 */
export function suggestServerName(serverUrl: string, serverName?: string): string {
  let url: URL | undefined;
  try {
    url = new URL(serverUrl);
  } catch {
    url = undefined;
  }
  const segments = (url?.pathname ?? '')
    .split('/')
    .map((s) => decodeURIComponentSafe(s))
    .filter((s) => s !== '' && !GENERIC_SEGMENTS.has(s.toLowerCase()) && !/^\d+$/.test(s));
  const fromPath = slugifyName(segments.at(-1) ?? '');
  if (fromPath) return fromPath;
  if (serverName) {
    const own = slugifyName(serverName.split('/').at(-1) ?? serverName);
    if (own && !GENERIC_SEGMENTS.has(own)) return own;
  }
  if (!url) return 'mcp-server';
  if (isLoopbackHost(url.hostname)) return slugifyName(`local-${url.port || 'server'}`);
  const labels = url.hostname.split('.').filter((l) => !GENERIC_HOST_LABELS.has(l) && !/^\d+$/.test(l));
  return slugifyName(labels.at(-1) ?? url.hostname) || 'mcp-server';
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The normalised URL, or the UserError (invalid-url, exit 2) every front end reports. */
export function requireServerUrl(input: string): string {
  const check = normalizeServerUrl(input);
  if (!check.ok) throw new UserError({ code: 'invalid-url', message: check.message, ...(check.hint ? { hint: check.hint } : {}) });
  return check.url;
}

/** The name as given, or the UserError (invalid-name, exit 2) every front end reports. */
export function requireServerName(name: string): string {
  const check = validateServerName(name);
  if (!check.ok) throw new UserError({ code: 'invalid-name', message: `"${name}": ${check.message}` });
  return name;
}
