import { UserError } from '../errors.js';
import type { ClientAdapter, EntrySummary, RemoteServerSpec } from './types.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The headers a client writes: the literal ones plus env-var headers spelled with the client's
 * placeholder. A client that can't expand variables gets a UserError rather than a literal
 * "${TOKEN}" it would send as is.
 */
export function resolveHeaders(spec: RemoteServerSpec, adapter: Pick<ClientAdapter, 'displayName' | 'envHeaders'>): Record<string, string> | undefined {
  const out: Record<string, string> = { ...spec.headers };
  for (const [name, ref] of Object.entries(spec.envHeaders ?? {})) {
    checkEnvName(ref.env);
    if (adapter.envHeaders?.kind !== 'template') throw noEnvHeaders(adapter.displayName);
    out[name] = (ref.prefix ?? '') + adapter.envHeaders.reference(ref.env);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function checkEnvName(name: string): void {
  if (!ENV_NAME.test(name)) {
    throw new UserError({ code: 'usage', message: `"${name}" is not an environment variable name.`, hint: 'Use letters, digits and "_", not starting with a digit.' });
  }
}

export function noEnvHeaders(displayName: string, detail = "doesn't read header values from environment variables"): UserError {
  return new UserError({
    code: 'usage',
    message: `${displayName} ${detail}.`,
    hint: 'Give the header its value directly (--header "Name: value"); it is written to the file as is.',
  });
}

export function headersField(spec: RemoteServerSpec, adapter: Pick<ClientAdapter, 'displayName' | 'envHeaders'>): { headers?: Record<string, string> } {
  const headers = resolveHeaders(spec, adapter);
  return headers ? { headers } : {};
}

/** `{type, url, headers?}`: the spelling Claude Code, VS Code and Copilot share. */
export function typedUrlEntry(spec: RemoteServerSpec, adapter: Pick<ClientAdapter, 'displayName' | 'envHeaders'>, type: string = spec.transport ?? 'http'): Record<string, unknown> {
  return { type, url: spec.url, ...headersField(spec, adapter) };
}

/** `${VAR}` (Claude Code, Gemini CLI, Kiro). */
export const dollarBraces = { kind: 'template', reference: (name: string) => `\${${name}}` } as const;
/** `${env:VAR}` (Cursor, VS Code, Windsurf). */
export const dollarEnv = { kind: 'template', reference: (name: string) => `\${env:${name}}` } as const;

/** Read the common fields of any client's entry back (url/serverUrl/httpUrl/uri, command+args). */
export function summarizeEntry(raw: unknown): EntrySummary {
  if (typeof raw !== 'object' || raw === null) return {};
  const e = raw as Record<string, unknown>;
  const url = [e.url, e.serverUrl, e.httpUrl, e.uri].find((v): v is string => typeof v === 'string');
  const argv = Array.isArray(e.command) ? e.command : [e.command, ...(Array.isArray(e.args) ? e.args : [])];
  const words = argv.filter((a): a is string => typeof a === 'string');
  const command = typeof e.command === 'string' || Array.isArray(e.command) ? words.join(' ') : undefined;
  const transport = typeof e.type === 'string' ? e.type : typeof e.transport === 'string' ? e.transport : undefined;
  return { ...(url ? { url } : {}), ...(command ? { command } : {}), ...(transport ? { transport } : {}) };
}
