import { redact } from '../mcp/classify.js';
import { isLoopbackHost } from '../url.js';

/**
 * Characters that mean something to a shell or to Windows' `start`/PowerShell. `open` spawns
 * without a shell on macOS/Linux, but on Windows the URL goes through PowerShell, and
 * CVE-2025-6514 (mcp-remote) was exactly an `authorization_endpoint` abusing that. `&` is allowed
 * only as a query separator, which is where our own parameters put it.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_URL = /[\s\u0000-\u001f\u007f-\u009f;|`$<>(){}'"\\^!]/;

/**
 * Returns the URL when it is safe to hand to the browser opener, else null. Server metadata is
 * untrusted: only http(s), no credentials in the URL, no shell metacharacters, `&` only in the
 * query, and plain http only for loopback hosts.
 */
export function safeBrowserUrl(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 8192 || FORBIDDEN_IN_URL.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return null;
  if (url.username || url.password || !url.hostname) return null;
  const href = url.href;
  if (FORBIDDEN_IN_URL.test(href)) return null;
  const beforeQuery = href.split('?')[0] ?? '';
  if (beforeQuery.includes('&') || href.includes('#')) return null;
  return href;
}

/** An endpoint from metadata that we will fetch (never open): http(s) only, https off-loopback. */
export function isFetchableEndpoint(raw: unknown): raw is string {
  if (typeof raw !== 'string' || raw.length > 4096) return false;
  try {
    const url = new URL(raw);
    if (url.username || url.password) return false;
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/**
 * Words that carry secrets in an authorization server's text but are ordinary words elsewhere
 * ("the token expired"), so only AS text gets this on top of `redact`.
 */
const AS_SECRET_KEYS = /((?:state|assertion|token))(["'=:\s]+)[^\s"'&,}]+/gi;

/**
 * Make text from an authorization server (or an error that may quote one) fit to show: strip
 * control characters (terminal escapes), redact anything credential-shaped, and cut it short.
 */
export function sanitizeForDisplay(text: unknown, max = 200): string {
  const raw = typeof text === 'string' ? text : text instanceof Error ? text.message : String(text ?? '');
  // eslint-disable-next-line no-control-regex
  const plain = raw.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  const cleaned = redact(plain).replace(AS_SECRET_KEYS, '$1$2[redacted]');
  return cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned;
}

/** An OAuth error code is a fixed token (RFC 6749 §5.2): show it only if it looks like one. */
export function safeErrorCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[a-z0-9_.-]{1,64}$/i.test(value) ? value : undefined;
}
