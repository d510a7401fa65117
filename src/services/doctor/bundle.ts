import type { Env } from '../deps.js';
import { redact } from '../mcp/classify.js';
import { displayProxyUrl } from '../net.js';
import type { DoctorReport, DoctorTarget } from './types.js';

export interface BundleContext {
  version: string;
  /** `process.version`, passed in by the caller. */
  nodeVersion: string;
  platform: string;
  env: Env;
  /** The targets as checked, to list header names (values are masked). */
  targets?: DoctorTarget[];
  now: number;
}

const SECRETISH_SEGMENT = /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_-]{20,}$/;

/** A URL safe to share: credentials, query values and key-like path segments masked. */
export function redactUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return redact(value);
  }
  if (url.username || url.password) {
    url.username = url.username ? '***' : '';
    url.password = url.password ? '***' : '';
  }
  for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, '***');
  url.pathname = url.pathname
    .split('/')
    .map((segment) => (SECRETISH_SEGMENT.test(segment) ? '***' : segment))
    .join('/');
  return url.href.replace(/%2A%2A%2A/g, '***');
}

/** Mask every header value; keep the scheme word of Authorization so "Bearer vs Basic" stays visible. */
export function maskHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const scheme = /^(bearer|basic|token|apikey)\s+/i.exec(value)?.[1];
    masked[name] = scheme ? `${scheme} ***` : '***';
  }
  return masked;
}

/** Replace every URL in free text with its redacted form, then strip token-like strings. */
export function redactText(text: string): string {
  return redact(text.replace(/\bhttps?:\/\/[^\s"'<>,;)]+/g, (u) => {
    const trail = /[.]+$/.exec(u)?.[0] ?? '';
    return redactUrl(u.slice(0, u.length - trail.length)) + trail;
  }));
}

/**
 * A copy-paste support bundle: versions, network settings and every check, with secrets removed
 * (header values, tokens, proxy passwords, query strings and key-like URL segments). Returns the
 * text for the clipboard and the same content as data.
 */
export function buildSupportBundle(reports: DoctorReport[], context: BundleContext): { text: string; data: unknown } {
  const env = context.env;
  const proxyVars = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'NODE_EXTRA_CA_CERTS', 'NODE_USE_SYSTEM_CA', 'NODE_TLS_REJECT_UNAUTHORIZED'];
  const network: Record<string, string> = {};
  for (const name of proxyVars) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    network[name] = /proxy$/i.test(name) && !/^no_proxy$/i.test(name) ? displayProxyUrl(value) : value;
  }
  const headerNames = new Map<string, Record<string, string>>();
  for (const target of context.targets ?? []) headerNames.set(target.url, maskHeaders(target.headers));

  const servers = reports.map((report) => ({
    target: { ...report.target, url: redactUrl(report.target.url) },
    headers: headerNames.get(report.target.url) ?? {},
    ...(report.server ? { server: { ...report.server, tools: report.server.tools.length } } : {}),
    durationMs: report.durationMs,
    ...(report.cause ? { cause: { check: report.cause.check, layer: report.cause.layer, exitCode: report.cause.exitCode } } : {}),
    checks: report.checks.map((c) => ({
      id: c.id,
      layer: c.layer,
      status: c.status,
      detail: redactText(c.detail),
      ...(c.hint ? { hint: redactText(c.hint) } : {}),
      ...(c.fix ? { fix: c.fix.id } : {}),
    })),
  }));
  const data = {
    generated: new Date(context.now).toISOString(),
    mcpSetup: context.version,
    node: context.nodeVersion,
    platform: context.platform,
    network,
    servers,
  };

  const lines = [
    `mcp-setup ${context.version} support bundle (${data.generated})`,
    `node ${context.nodeVersion} on ${context.platform}`,
    ...Object.entries(network).map(([k, v]) => `${k}=${v}`),
  ];
  for (const server of servers) {
    lines.push('', `## ${server.target.name ? `${server.target.name} ` : ''}${server.target.url}${server.target.client ? ` [${server.target.client}${server.target.scope ? `/${server.target.scope}` : ''}]` : ''}`);
    const headers = Object.entries(server.headers);
    if (headers.length) lines.push(`headers: ${headers.map(([k, v]) => `${k}: ${v}`).join(', ')}`);
    if (server.server) lines.push(`server: ${server.server.name} ${server.server.version}, protocol ${server.server.protocolVersion}, ${server.server.transport}, ${server.server.tools} tools`);
    for (const c of server.checks) {
      lines.push(`[${c.status.toUpperCase()}] ${c.id}: ${c.detail}${'hint' in c && c.hint ? ` (${c.hint})` : ''}${'fix' in c && c.fix ? ` → ${c.fix}` : ''}`);
    }
    if (server.cause) lines.push(`cause: ${server.cause.check} (${server.cause.layer}, exit ${server.cause.exitCode})`);
  }
  return { text: `${lines.join('\n')}\n`, data };
}
