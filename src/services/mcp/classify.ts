import { UserError, isAbortError } from '../errors.js';
import { hostOf } from '../url.js';

/** What we saw of the last HTTP response, recorded by the fetch wrapper. */
export interface ResponseRecord {
  status: number;
  contentType: string;
  wwwAuthenticate: string | null;
  location: string | null;
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_NOT_YET_VALID',
]);

/** Walk an error's `cause` chain for a Node system error code (ECONNREFUSED, ENOTFOUND, …). */
export function systemCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turn whatever the SDK or fetch threw into one UserError that says what happened, why, and what
 * to do. `last` is the last HTTP response we saw, which is often more telling than the error.
 */
export function classifyConnectError(error: unknown, url: string, last: ResponseRecord | undefined, timedOut: boolean): UserError {
  const host = hostOf(url);
  if (timedOut) {
    return new UserError({
      code: 'timeout',
      message: `${host} didn't answer in time.`,
      hint: 'The server may be down or overloaded, or a firewall/VPN is silently dropping the connection.',
      nextSteps: ['Try again, or check the server is running and reachable from this machine.'],
    });
  }
  const status = last?.status ?? (error as { code?: unknown }).code;
  if (status === 401) {
    const oauth = /resource_metadata|bearer/i.test(last?.wwwAuthenticate ?? '');
    return new UserError({
      code: 'needs-auth',
      message: 'This server needs sign-in.',
      hint: oauth ? 'It answered 401 Unauthorized and advertises OAuth sign-in.' : 'It answered 401 Unauthorized.',
      nextSteps: [
        `Sign in: mcp-setup login ${url}`,
        'If it takes an API key instead, pass it with --header "Authorization: Bearer <key>".',
      ],
    });
  }
  if (status === 403) {
    return new UserError({
      code: 'forbidden',
      message: 'The server refused access (403 Forbidden).',
      hint: 'Your credentials are valid but lack permission, or a scope is missing.',
      nextSteps: ['Check the account or API key has access to this server.'],
    });
  }
  if (last && /text\/html/i.test(last.contentType) && (last.status < 300 || status === -1)) {
    return new UserError({
      code: 'not-mcp',
      message: `${host} answered with a web page, not an MCP server.`,
      hint: 'The URL probably points at a website or docs page rather than the MCP endpoint.',
      nextSteps: ['Check the server docs for the MCP URL (it often ends in /mcp).'],
    });
  }
  if (status === 404 || status === 405 || status === 400) {
    return new UserError({
      code: 'not-mcp',
      message: `No MCP server at ${url} (HTTP ${status}).`,
      hint: 'The path is probably wrong: MCP servers usually live at /mcp (older ones at /sse).',
      nextSteps: ['Check the URL in the server docs, then try again.'],
    });
  }
  if (typeof status === 'number' && status >= 500) {
    return new UserError({
      code: 'server-error',
      message: `The server failed with HTTP ${status}.`,
      hint: 'This is a problem on the server side.',
      nextSteps: ['Try again in a moment; if it persists, contact the server operator.'],
    });
  }
  const code = systemCode(error);
  if (code === 'ECONNREFUSED') {
    return new UserError({
      code: 'unreachable',
      message: `Nothing is listening at ${host}.`,
      hint: 'The server is not running, or the port is wrong.',
      nextSteps: ['Start the server or fix the port, then try again.'],
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new UserError({
      code: 'unreachable',
      message: `Couldn't find ${host} (DNS lookup failed).`,
      hint: 'The host name is misspelled, or you need a VPN to reach it.',
      nextSteps: ['Check the host name, or connect to the VPN, then try again.'],
    });
  }
  if (code && TLS_CODES.has(code)) {
    return new UserError({
      code: 'unreachable',
      message: `The secure connection to ${host} failed (${code}).`,
      hint:
        code === 'CERT_HAS_EXPIRED'
          ? "The server's certificate has expired."
          : 'The certificate is not trusted here; a corporate proxy that inspects TLS is a common cause.',
      nextSteps: ['If your company uses its own root certificate, point NODE_EXTRA_CA_CERTS at it and try again.'],
    });
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return new UserError({
      code: 'unreachable',
      message: `The connection to ${host} was cut off.`,
      hint: 'A proxy or firewall may be closing it, or the server crashed.',
      nextSteps: ['Try again; if it persists, check HTTPS_PROXY / firewall settings.'],
    });
  }
  if (isAbortError(error)) {
    return new UserError({ code: 'timeout', message: 'The connection was cancelled.' });
  }
  const message = deepestMessage(error);
  return new UserError({
    code: 'not-mcp',
    message: `${host} did not answer like an MCP server.`,
    hint: redact(message).slice(0, 200),
    nextSteps: ['Check the URL is the server’s MCP endpoint, then try again.'],
  });
}

/** "fetch failed" says nothing; the innermost cause ("bad port", "other side closed") does. */
function deepestMessage(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (current instanceof Error && current.message) messages.push(current.message);
    current = (current as { cause?: unknown }).cause;
  }
  return messages.length > 1 ? `${messages[0]} (${messages.at(-1)})` : (messages[0] ?? String(error));
}


/** Strip anything that looks like a credential before text reaches the user or a log. */
export function redact(text: string): string {
  return text
    .replace(/(bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]')
    .replace(/((?:access|refresh|id)_token|client_secret|client_assertion|code_verifier|device_code|user_code|password|code|api[_-]?key)(["'=:\s]+)[^\s"'&,}]+/gi, '$1$2[redacted]');
}
