import { readFileSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import type { Env, FetchFn } from './deps.js';
import { isLoopbackHost } from './url.js';

/** Which proxy (if any) a request to a URL goes through, and why, in words a user can check. */
export interface ProxyDecision {
  /** The proxy URL to use, credentials included (never show it: use `display`). */
  proxyUrl: string | null;
  /** The proxy URL with any user:password masked, for output. */
  display: string | null;
  /** The variable the proxy came from (`HTTPS_PROXY`, `https_proxy`, `HTTP_PROXY`, …). */
  variable: string | null;
  /** The NO_PROXY entry that made the request go direct, or "loopback". */
  bypassedBy: string | null;
  /** Set when the variable holds something that is not a usable proxy URL. */
  invalid: boolean;
  reason: string;
}

export interface CreateFetchOptions {
  env: Env;
  /** Extra trusted CAs (PEM) on top of the system store and NODE_EXTRA_CA_CERTS. */
  extraCaPem?: string;
  /** Name resolution for direct connections (tests map made-up names to 127.0.0.1). */
  lookup?: LookupFunction;
}

function pick(env: Env, lower: string, upper: string): { name: string; value: string } | null {
  const low = env[lower];
  if (low !== undefined && low.trim() !== '') return { name: lower, value: low.trim() };
  const up = env[upper];
  if (up !== undefined && up.trim() !== '') return { name: upper, value: up.trim() };
  return null;
}

/** `proxy:3128` is common in the wild; curl and undici both read it as http://. */
function normaliseProxy(value: string): URL | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url;
  } catch {
    return null;
  }
}

/** A proxy URL safe to print: the password (and a token-like user) are masked. */
export function displayProxyUrl(value: string): string {
  const url = normaliseProxy(value);
  if (!url) return value.replace(/\/\/[^@/]*@/, '//***@');
  if (url.username || url.password) {
    url.username = url.username ? '***' : '';
    url.password = url.password ? '***' : '';
  }
  return url.href.replace(/\/$/, '');
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

function portOf(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

function ipv4ToInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = value * 256 + Number(part);
  }
  return value;
}

/** One NO_PROXY entry against a host and port: exact, domain-and-subdomains, `.suffix`, `*.suffix`, `host:port`, IPv4 CIDR. */
export function noProxyEntryMatches(entry: string, host: string, port: number): boolean {
  let pattern = entry.trim().toLowerCase();
  if (!pattern) return false;
  if (pattern === '*') return true;
  const portMatch = /^(.*):(\d+)$/.exec(pattern);
  if (portMatch && !pattern.startsWith('[') && pattern.split(':').length === 2) {
    if (Number(portMatch[2]) !== port) return false;
    pattern = portMatch[1]!;
  } else if (/^\[.*\]:\d+$/.test(pattern)) {
    const idx = pattern.lastIndexOf(':');
    if (Number(pattern.slice(idx + 1)) !== port) return false;
    pattern = pattern.slice(0, idx);
  }
  pattern = pattern.replace(/^\[|\]$/g, '');
  const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(pattern);
  if (cidr) {
    const base = ipv4ToInt(cidr[1]!);
    const ip = ipv4ToInt(host);
    const bits = Number(cidr[2]);
    if (base === null || ip === null || bits > 32) return false;
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return ((base & mask) >>> 0) === ((ip & mask) >>> 0);
  }
  const domain = pattern.replace(/^\*?\./, '');
  if (!domain) return false;
  return host === domain || host.endsWith(`.${domain}`);
}

/**
 * Which proxy a request to `url` uses under `env`, following curl/undici conventions: lower-case
 * variables win, https falls back to HTTP_PROXY, NO_PROXY lists hosts, suffixes, ports, CIDRs or
 * `*`. Loopback never goes through a proxy: a corporate proxy cannot reach this machine's
 * 127.0.0.1, where our own sign-in callback and demo server live.
 */
export function describeProxy(env: Env, url: string | URL): ProxyDecision {
  const target = typeof url === 'string' ? new URL(url) : url;
  const host = hostOf(target);
  const port = portOf(target);
  const direct = (reason: string, bypassedBy: string | null = null): ProxyDecision => ({
    proxyUrl: null,
    display: null,
    variable: null,
    bypassedBy,
    invalid: false,
    reason,
  });

  const chosen =
    target.protocol === 'https:'
      ? (pick(env, 'https_proxy', 'HTTPS_PROXY') ?? pick(env, 'http_proxy', 'HTTP_PROXY'))
      : pick(env, 'http_proxy', 'HTTP_PROXY');
  if (!chosen) {
    const httpOnly = target.protocol !== 'https:' && pick(env, 'https_proxy', 'HTTPS_PROXY');
    return direct(
      httpOnly
        ? `No HTTP_PROXY is set, so this http:// URL goes direct (HTTPS_PROXY only applies to https:// URLs).`
        : 'No HTTPS_PROXY or HTTP_PROXY is set, so requests go direct.',
    );
  }
  if (isLoopbackHost(host)) return direct(`${host} is this machine, so it is never sent through the proxy.`, 'loopback');

  const noProxy = pick(env, 'no_proxy', 'NO_PROXY');
  if (noProxy) {
    for (const entry of noProxy.value.split(/[,\s]+/)) {
      if (noProxyEntryMatches(entry, host, port)) {
        return direct(`${noProxy.name} entry "${entry.trim()}" matches ${host}, so it goes direct.`, entry.trim());
      }
    }
  }
  const parsed = normaliseProxy(chosen.value);
  const display = displayProxyUrl(chosen.value);
  if (!parsed) {
    return {
      proxyUrl: null,
      display,
      variable: chosen.name,
      bypassedBy: null,
      invalid: true,
      reason: `${chosen.name} is set to "${display}", which is not an http:// or https:// proxy URL.`,
    };
  }
  const fallback = target.protocol === 'https:' && /http_proxy/i.test(chosen.name) ? ' (no HTTPS_PROXY is set)' : '';
  const noProxyNote = noProxy ? `; ${noProxy.name} does not match ${host}` : '';
  return {
    proxyUrl: parsed.href,
    display,
    variable: chosen.name,
    bypassedBy: null,
    invalid: false,
    reason: `${chosen.name}=${display} applies to ${host}${fallback}${noProxyNote}.`,
  };
}

/** System roots + NODE_EXTRA_CA_CERTS + extra PEM. Needed only when we pass our own `ca`, which replaces Node's default store. */
export function caBundle(env: Env, extraCaPem?: string): string[] {
  const bundle = [...rootCertificates];
  const file = env.NODE_EXTRA_CA_CERTS;
  if (file) {
    try {
      bundle.push(readFileSync(file, 'utf8'));
    } catch {
      // Node itself only warns about an unreadable file; the doctor reports it.
    }
  }
  if (extraCaPem) bundle.push(extraCaPem);
  return bundle;
}

const contexts = new Map<string, SecureContext>();

/**
 * One TLS context per CA set, built once: a context holding the ~140 system roots costs tens of
 * milliseconds to build, and passing `ca` per connection would rebuild it every time.
 */
export function secureContextFor(env: Env, extraCaPem: string): SecureContext {
  const key = `${env.NODE_EXTRA_CA_CERTS ?? ''}\0${extraCaPem}`;
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext({ ca: caBundle(env, extraCaPem) });
    contexts.set(key, context);
  }
  return context;
}

function urlOfInput(input: Parameters<FetchFn>[0]): URL {
  if (typeof input === 'string') return new URL(input);
  if (input instanceof URL) return input;
  return new URL(input.url);
}

type Undici = typeof import('undici');
type Dispatcher = import('undici').Dispatcher;

/**
 * A fetch that honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY (Node 20's global fetch ignores them)
 * and extra CAs. undici is imported only when a request needs a proxy or a custom agent, so plain
 * runs pay nothing. Proxied http:// requests use absolute-URI requests (many corporate proxies
 * only allow CONNECT to 443); https:// ones tunnel with CONNECT.
 */
export function createFetch(options: CreateFetchOptions): FetchFn {
  const { env } = options;
  const custom = Boolean(options.extraCaPem || options.lookup);
  let undici: Promise<Undici> | undefined;
  const dispatchers = new Map<string, Dispatcher>();
  const tlsOptions = () => (options.extraCaPem ? { secureContext: secureContextFor(env, options.extraCaPem) } : {});

  const dispatcherFor = (lib: Undici, proxyUrl: string | null): Dispatcher => {
    const key = proxyUrl ?? 'direct';
    let dispatcher = dispatchers.get(key);
    if (!dispatcher) {
      const connect = { ...tlsOptions(), ...(options.lookup ? { lookup: options.lookup } : {}) };
      dispatcher = proxyUrl
        ? new lib.ProxyAgent({ uri: proxyUrl, proxyTunnel: false, requestTls: tlsOptions(), proxyTls: connect })
        : new lib.Agent({ connect });
      dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  };

  const wrapped = async (input: Parameters<FetchFn>[0], init?: Parameters<FetchFn>[1]): Promise<Response> => {
    const url = urlOfInput(input);
    const decision = describeProxy(env, url);
    if (decision.invalid) {
      throw new TypeError(`Invalid proxy setting: ${decision.reason}`);
    }
    if (!decision.proxyUrl && !custom) return globalThis.fetch(input, init);
    // A bundler hands back CommonJS undici as `default` only; Node's loader also exposes named exports.
    undici ??= import('undici').then((mod) => ('ProxyAgent' in mod ? mod : (mod as { default: Undici }).default));
    const lib = await undici;
    const dispatcher = dispatcherFor(lib, decision.proxyUrl);
    // undici's own fetch: Node 20's bundled fetch and undici@7 dispatchers speak different handler APIs.
    let target: string | URL = url;
    let merged: RequestInit = { ...init };
    if (typeof input !== 'string' && !(input instanceof URL)) {
      // A global Request can't cross into undici's fetch; rebuild it from its parts.
      const body = input.body ? await input.arrayBuffer() : undefined;
      merged = { method: input.method, headers: input.headers, signal: input.signal, ...(body ? { body } : {}), ...init };
      target = input.url;
    }
    const response = await lib.fetch(target, { ...(merged as object), dispatcher } as Parameters<Undici['fetch']>[1]);
    return response as unknown as Response;
  };
  return wrapped as FetchFn;
}
