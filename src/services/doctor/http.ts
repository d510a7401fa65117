import { redact } from '../mcp/classify.js';
import type { Step } from './step.js';
import type { Check, CheckContext, Facts } from './types.js';
import { check, errorCode, label, seconds, stepSignal, throwIfCancelled } from './util.js';
import { SSE_FALLBACK_STATUSES } from '../mcp/sse-fallback.js';

const STEP_CAP_MS = 10_000;
const MAX_REDIRECTS = 5;
const PROTOCOL_VERSION = '2025-11-25';

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'mcp-setup-doctor', version: '1' } },
});

interface Answer {
  status: number;
  contentType: string;
  wwwAuthenticate: string | null;
  body: string;
}

/** Headers for every request the doctor makes: the configured ones plus our token when the auth feed has one. */
export async function requestHeaders(ctx: CheckContext): Promise<{ headers: Record<string, string>; sentToken: boolean }> {
  const headers: Record<string, string> = { ...(ctx.target.headers ?? {}) };
  const hasAuthorization = Object.keys(headers).some((k) => k.toLowerCase() === 'authorization');
  if (!hasAuthorization && ctx.facts.accessToken) {
    headers.Authorization = `Bearer ${ctx.facts.accessToken}`;
    return { headers, sentToken: true };
  }
  return { headers, sentToken: false };
}

async function readSome(response: Response, limit = 2048): Promise<string> {
  const type = response.headers.get('content-type') ?? '';
  // An event stream may never end: read nothing from it.
  if (/event-stream/i.test(type) || !response.body) {
    await response.body?.cancel().catch(() => {});
    return '';
  }
  const reader = response.body.getReader();
  let text = '';
  const decoder = new TextDecoder();
  try {
    while (text.length < limit) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.slice(0, limit);
}

async function post(ctx: CheckContext, url: string, headers: Record<string, string>, signal: AbortSignal): Promise<{ response: Response; body: string }> {
  const response = await ctx.deps.fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
    body: INITIALIZE,
    redirect: 'manual',
    signal,
  });
  const body = await readSome(response);
  const session = response.headers.get('mcp-session-id');
  if (session && response.ok) {
    // Be polite: end the session our probe opened (best effort, never waited on for long).
    void ctx.deps
      .fetch(url, { method: 'DELETE', headers: { ...headers, 'mcp-session-id': session }, signal: AbortSignal.timeout(2000) })
      .then((r) => r.body?.cancel())
      .catch(() => {});
  }
  return { response, body };
}

function answerOf(response: Response, body: string): Answer {
  return {
    status: response.status,
    contentType: (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(),
    wwwAuthenticate: response.headers.get('www-authenticate'),
    body,
  };
}

/** A JSON-RPC error message from a body, if there is one (servers say "No valid session", "Invalid origin"…). */
function rpcMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message);
    return typeof message === 'string' ? redact(message).slice(0, 160) : undefined;
  } catch {
    return undefined;
  }
}

async function looksLikeSse(ctx: CheckContext, url: string, headers: Record<string, string>): Promise<boolean> {
  const { signal } = stepSignal(ctx, 3000);
  try {
    const response = await ctx.deps.fetch(url, { method: 'GET', headers: { Accept: 'text/event-stream', ...headers }, signal, redirect: 'manual' });
    const ok = response.status === 200 && /text\/event-stream/i.test(response.headers.get('content-type') ?? '');
    await response.body?.cancel().catch(() => {});
    return ok;
  } catch {
    return false;
  }
}

/** Nearby URLs that do answer like MCP (…/mcp, /mcp, /sse), so a 404 can name the right one. */
async function findAlternative(ctx: CheckContext, url: URL, headers: Record<string, string>): Promise<string | undefined> {
  const path = url.pathname.replace(/\/+$/, '');
  const candidates = new Set<string>();
  if (!/\/mcp$/.test(path)) candidates.add(`${url.origin}${path}/mcp`);
  candidates.add(`${url.origin}/mcp`);
  candidates.add(`${url.origin}/sse`);
  candidates.delete(url.href.replace(/\/+$/, ''));
  for (const candidate of candidates) {
    if (ctx.remainingMs() < 1000) break;
    const { signal } = stepSignal(ctx, 2000);
    try {
      if (candidate.endsWith('/sse')) {
        if (await looksLikeSse(ctx, candidate, headers)) return candidate;
        continue;
      }
      const { response } = await post(ctx, candidate, headers, signal);
      const type = response.headers.get('content-type') ?? '';
      if (response.status === 401 || (response.ok && /json|event-stream/i.test(type))) return candidate;
    } catch {
      // Not there either.
    }
  }
  return undefined;
}

function isMcpType(type: string): boolean {
  return type === 'application/json' || type === 'text/event-stream';
}

export function httpSteps(): Step[] {
  const step: Step = {
    id: 'http.status',
    layer: 'http',
    async run(ctx) {
      const { headers, sentToken } = await requestHeaders(ctx);
      const { signal, ms } = stepSignal(ctx, STEP_CAP_MS);
      const redirects: string[] = [];
      let url = ctx.target.url;
      let answer: Answer;
      try {
        for (;;) {
          const { response, body } = await post(ctx, url, headers, signal);
          const location = response.headers.get('location');
          if (response.status >= 300 && response.status < 400 && location && redirects.length < MAX_REDIRECTS) {
            url = new URL(location, url).href;
            redirects.push(`${response.status} → ${url}`);
            continue;
          }
          answer = answerOf(response, body);
          break;
        }
      } catch (error) {
        throwIfCancelled(ctx);
        return [failedRequest(ctx, error, ms)];
      }
      const checks: Check[] = [];
      const http: NonNullable<Facts['http']> = {
        status: answer.status,
        contentType: answer.contentType,
        wwwAuthenticate: answer.wwwAuthenticate,
        finalUrl: url,
        redirects,
        sentToken,
        legacySse: false,
      };
      ctx.facts.http = http;
      if (redirects.length) {
        const original = new URL(ctx.target.url);
        const final = new URL(url);
        const downgrade = original.protocol === 'https:' && final.protocol === 'http:';
        const changesMethod = redirects.some((r) => /^(301|302|303) /.test(r));
        const login = final.host !== original.host && answer.contentType === 'text/html';
        if (login) {
          checks.push(
            check('http.redirect', 'http', 'fail', `The server redirects to a web page at ${final.host} (${redirects.join(', ')}).`, {
              hint: 'A sign-in portal or gateway (SSO, Cloudflare Access, a captive portal) sits in front of the server and wants a browser login.',
              fix: { id: 'check-access', label: `Open ${ctx.target.url} in a browser to see what is in front of it; ask the operator for a URL that works for API clients.` },
            }),
          );
          return checks;
        }
        const crossOrigin = final.origin !== original.origin;
        const fatal = downgrade || changesMethod || crossOrigin;
        checks.push(
          check('http.redirect', 'http', fatal ? 'fail' : 'warn', `The URL redirects: ${redirects.join(', ')}.`, {
            hint: downgrade
              ? 'It redirects from https to plain http: tokens would travel unencrypted.'
              : changesMethod
                ? `A ${redirects.find((r) => /^(301|302|303) /.test(r))!.slice(0, 3)} redirect turns POST into GET, so MCP requests break on the way.`
                : crossOrigin
                  ? 'MCP clients built on the official SDK do not follow redirects to another origin, and apps drop the Authorization header across hosts.'
                  : 'Apps follow redirects unevenly; the final URL avoids the extra hop.',
            fix: { id: 'use-final-url', label: `Use the final URL: ${url}`, ...(ctx.target.name ? { command: `mcp-setup update ${label(ctx)} --url ${url}` } : {}) },
          }),
        );
        if (fatal) return checks;
      }
      checks.push(await judgeStatus(ctx, answer, url, headers));
      return checks;
    },
  };
  return [step];
}

function failedRequest(ctx: CheckContext, error: unknown, ms: number): Check {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if ((error as { name?: string })?.name === 'TimeoutError' || code === 'ABORT_ERR' || code === 'UND_ERR_HEADERS_TIMEOUT' || (error as { name?: string })?.name === 'AbortError') {
    return check('http.status', 'http', 'fail', `The server accepted the connection but sent no HTTP answer within ${seconds(ms)}.`, {
      hint: 'It is hanging or overloaded, or a proxy is holding the request.',
      fix: { id: 'retry-later', label: 'Try again in a moment; if it persists, contact the server operator.' },
    });
  }
  const causeMessage = (error as { cause?: { message?: string } })?.cause?.message ?? '';
  const proxy = /Proxy (?:response|Authentication Required) \((\d+)\)/.exec(`${message} ${causeMessage}`);
  if (proxy) {
    return check('http.status', 'http', 'fail', `The proxy refused the request (${proxy[1]}).`, {
      hint: proxy[1] === '407' ? 'The proxy needs a login.' : 'The proxy blocks or cannot reach this host.',
      fix: { id: 'fix-proxy', label: 'Check HTTPS_PROXY / NO_PROXY with IT.' },
    });
  }
  return check('http.status', 'http', 'fail', `The HTTP request failed (${code ?? redact(message).slice(0, 120)}).`, {
    hint: code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' ? 'The connection was cut off: the server crashed, or a proxy or firewall closed it.' : 'The connection worked, but the request did not.',
    fix: { id: 'retry-later', label: 'Try again; if it persists, send the support bundle to the server operator.' },
  });
}

async function judgeStatus(ctx: CheckContext, answer: Answer, url: string, headers: Record<string, string>): Promise<Check> {
  const { status, contentType } = answer;
  const shownType = contentType || 'no content type';
  if (status === 401 || status === 403) {
    return check('http.status', 'http', 'pass', `HTTP ${status}: the server is there and wants ${status === 401 ? 'sign-in' : 'more access'} (see the sign-in checks).`);
  }
  if (status === 407) {
    return check('http.status', 'http', 'fail', 'The proxy asks for a login (407 Proxy Authentication Required).', {
      hint: 'HTTP_PROXY has no user name and password, or they are wrong.',
      fix: { id: 'fix-proxy', label: 'Put your proxy login in HTTP_PROXY (http://USER:PASSWORD@proxy:port).' },
    });
  }
  if (status >= 200 && status < 300) {
    if (isMcpType(contentType)) return check('http.status', 'http', 'pass', `HTTP ${status} ${contentType}: the endpoint answers MCP requests.`);
    if (contentType === 'text/html') {
      return check('http.status', 'http', 'fail', `The URL answers with a web page (HTTP ${status} text/html), not an MCP server.`, {
        hint: 'It points at a website, docs or dashboard page instead of the MCP endpoint (which often ends in /mcp).',
        fix: await pathFix(ctx, url, headers),
      });
    }
    return check('http.status', 'http', 'fail', `HTTP ${status} with ${shownType}: not an MCP answer (expected application/json or text/event-stream).`, {
      hint: 'The URL points at something other than the MCP endpoint.',
      fix: await pathFix(ctx, url, headers),
    });
  }
  // The same statuses verify falls back on, so doctor and verify agree about the same server.
  if (SSE_FALLBACK_STATUSES.includes(status)) {
    if (await looksLikeSse(ctx, url, headers)) {
      ctx.facts.http!.legacySse = true;
      return check('http.status', 'http', 'warn', `HTTP ${status} to a POST, but a GET opens an event stream: this is a legacy SSE endpoint.`, {
        hint: 'Servers from before March 2025 use the SSE transport; apps must be told (type "sse").',
        fix: { id: 'use-sse', label: 'Configure it with the SSE transport.', ...(ctx.target.name ? { command: `mcp-setup update ${label(ctx)} --url ${url}` } : {}) },
      });
    }
    const rpc = rpcMessage(answer.body);
    if (status === 400 && rpc) {
      return check('http.status', 'http', 'fail', `The server rejected the MCP initialize request (HTTP 400: ${rpc}).`, {
        hint: 'It speaks JSON-RPC but refuses this request: a required header, origin or workspace parameter is missing.',
        fix: { id: 'fix-url', label: 'Check the server docs for required headers or URL parameters.' },
      });
    }
    const what = status === 404 ? 'nothing at this path (404 Not Found)' : status === 405 ? 'this path does not accept MCP requests (405 Method Not Allowed)' : `the server rejected the request (HTTP ${status})`;
    return check('http.status', 'http', 'fail', `The server is up, but ${what}.`, {
      hint: 'The path is probably wrong: MCP servers usually live at /mcp (older ones at /sse).',
      fix: await pathFix(ctx, url, headers),
    });
  }
  if (status >= 500) {
    const viaProxy = Boolean(ctx.facts.proxy?.proxyUrl) && (status === 502 || status === 503 || status === 504);
    return check('http.status', 'http', 'fail', `The server failed with HTTP ${status}${rpcMessage(answer.body) ? ` (${rpcMessage(answer.body)})` : ''}.`, {
      hint: viaProxy ? 'The proxy could not get an answer from the server (it may be down or unreachable from the proxy).' : 'This is a problem on the server side, not in your setup.',
      fix: { id: 'retry-later', label: 'Try again in a moment; if it persists, send the support bundle to the server operator.' },
    });
  }
  return check('http.status', 'http', 'fail', `Unexpected HTTP ${status} (${shownType}).`, {
    hint: 'The URL does not behave like an MCP endpoint.',
    fix: await pathFix(ctx, url, headers),
  });
}

async function pathFix(ctx: CheckContext, url: string, headers: Record<string, string>) {
  const alternative = await findAlternative(ctx, new URL(url), headers);
  if (alternative) {
    return {
      id: 'fix-url' as const,
      label: `${alternative} answers like an MCP server${alternative.endsWith('/sse') ? ' (legacy SSE)' : ''}: use that URL.`,
      ...(ctx.target.name ? { command: `mcp-setup update ${label(ctx)} --url ${alternative}` } : {}),
    };
  }
  return { id: 'fix-url' as const, label: 'Check the server docs for the MCP URL (it usually ends in /mcp, older servers in /sse).' };
}
