import type { EntrySummary, RemoteServerSpec } from './types.js';

/** `{type, url, headers?}`: the spelling Claude Code, VS Code, Gemini CLI and Copilot share. */
export function typedUrlEntry(spec: RemoteServerSpec, type = spec.transport ?? 'http'): Record<string, unknown> {
  return { type, url: spec.url, ...headersOf(spec) };
}

export function headersOf(spec: RemoteServerSpec): { headers?: Record<string, string> } {
  return spec.headers && Object.keys(spec.headers).length > 0 ? { headers: { ...spec.headers } } : {};
}

/** Read the common fields of any client's entry back (url/serverUrl/httpUrl/uri, command+args). */
export function summarizeEntry(raw: unknown): EntrySummary {
  if (typeof raw !== 'object' || raw === null) return {};
  const e = raw as Record<string, unknown>;
  const url = [e.url, e.serverUrl, e.httpUrl, e.uri].find((v): v is string => typeof v === 'string');
  const args = Array.isArray(e.args) ? e.args.filter((a): a is string => typeof a === 'string') : [];
  const command = typeof e.command === 'string' ? [e.command, ...args].join(' ') : undefined;
  const transport = typeof e.type === 'string' ? e.type : typeof e.transport === 'string' ? e.transport : undefined;
  return { ...(url ? { url } : {}), ...(command ? { command } : {}), ...(transport ? { transport } : {}) };
}
