import type { Env } from '../deps.js';
import { splitHeaders, type HeaderSpec } from '../headers.js';
import { bridgeTargetOf, mcpRemoteTargetOf } from './bridge-entry.js';
import type { ClientAdapter } from './types.js';

/**
 * The headers an app sends for one entry, read back from the entry the way the app reads it:
 * literal values, and values the app takes from an environment variable (kept as references,
 * never expanded here). The inverse of `remoteEntry` and `proxyArguments`, so `list` and
 * `doctor` can check an API-key server with its key instead of reporting "needs sign-in".
 */
export function configuredHeaders(adapter: Pick<ClientAdapter, 'envHeaders' | 'headerFields'>, raw: unknown): HeaderSpec | undefined {
  if (!isRecord(raw)) return undefined;
  const spec: HeaderSpec = bridgeTargetOf(raw) || mcpRemoteTargetOf(raw) ? bridgeHeaders(raw) : adapter.envHeaders?.kind === 'names' ? namedEnvHeaders(raw) : templateHeaders(adapter, raw);
  return Object.keys(spec.literal).length + Object.keys(spec.fromEnv).length > 0 ? spec : undefined;
}

export type ResolvedHeaders = {
  /** What to send now: literal values plus the references that could be expanded from `env`. */
  headers?: Record<string, string>;
  /** Variables the app would read that aren't set here; their headers are left out. */
  missing: string[];
};

/** Expand the references from this process's environment (the app reads its own; usually the same). */
export function resolveConfiguredHeaders(spec: HeaderSpec | undefined, env: Env): ResolvedHeaders {
  if (!spec) return { missing: [] };
  const headers: Record<string, string> = { ...spec.literal };
  const missing: string[] = [];
  for (const [name, ref] of Object.entries(spec.fromEnv)) {
    const value = env[ref.env];
    if (value === undefined || value === '') missing.push(ref.env);
    else headers[name] = `${ref.prefix ?? ''}${value}`;
  }
  return { ...(Object.keys(headers).length > 0 ? { headers } : {}), missing };
}

/** Header names only, for messages: values are where API keys live. */
export function headerNames(spec: HeaderSpec | undefined): string[] {
  return spec ? [...Object.keys(spec.literal), ...Object.keys(spec.fromEnv)] : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringsAt(raw: Record<string, unknown>, path: string[]): Record<string, string> {
  let node: unknown = raw;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  if (!isRecord(node)) return {};
  return Object.fromEntries(Object.entries(node).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** `${VAR}`, `${env:VAR}`, `{env:VAR}`: the app's own placeholder, at the end of the value. */
function templateHeaders(adapter: Pick<ClientAdapter, 'envHeaders' | 'headerFields'>, raw: Record<string, unknown>): HeaderSpec {
  const spec: HeaderSpec = { literal: {}, fromEnv: {} };
  const template = adapter.envHeaders?.kind === 'template' ? adapter.envHeaders.reference('\u0000').split('\u0000') : undefined;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = template ? new RegExp(`^(.*?)${escape(template[0]!)}([A-Za-z_][A-Za-z0-9_]*)${escape(template[1]!)}$`, 's') : undefined;
  for (const field of adapter.headerFields ?? [['headers']]) {
    for (const [name, value] of Object.entries(stringsAt(raw, field))) {
      // An app that doesn't expand placeholders sends "${TOKEN}" as it is: so do we.
      const match = pattern?.exec(value);
      if (match) spec.fromEnv[name] = { env: match[2]!, ...(match[1] ? { prefix: match[1] } : {}) };
      else spec.literal[name] = value;
    }
  }
  return spec;
}

/** Codex: `http_headers` (literal), `env_http_headers` (header → variable), `bearer_token_env_var`. */
function namedEnvHeaders(raw: Record<string, unknown>): HeaderSpec {
  const spec: HeaderSpec = { literal: stringsAt(raw, ['http_headers']), fromEnv: {} };
  for (const [name, variable] of Object.entries(stringsAt(raw, ['env_http_headers']))) spec.fromEnv[name] = { env: variable };
  if (typeof raw.bearer_token_env_var === 'string') spec.fromEnv.Authorization = { env: raw.bearer_token_env_var, prefix: 'Bearer ' };
  return spec;
}

/**
 * A bridge's `--header "Name:value"` arguments (ours and mcp-remote's), which it expands itself:
 * `${VAR}` comes from the entry's own `env` (where literal values are kept, out of the process
 * list) or else from the environment the app starts it in.
 */
function bridgeHeaders(raw: Record<string, unknown>): HeaderSpec {
  const args = Array.isArray(raw.args) ? raw.args : [];
  const entryEnv = isRecord(raw.env) ? raw.env : {};
  const lines: Record<string, string> = {};
  for (let i = 0; i < args.length - 1; i++) {
    if (args[i] !== '--header' || typeof args[i + 1] !== 'string') continue;
    const line = args[i + 1] as string;
    const colon = line.indexOf(':');
    if (colon > 0) lines[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  const split = splitHeaders(lines);
  for (const [name, ref] of Object.entries(split.fromEnv)) {
    const kept = entryEnv[ref.env];
    if (typeof kept !== 'string') continue;
    split.literal[name] = `${ref.prefix ?? ''}${kept}`;
    delete split.fromEnv[name];
  }
  return split;
}

/** The "Name: value" form `--header` and the wizard take: literal values, `${VAR}` for references. */
export function headerLines(spec: HeaderSpec | undefined): Record<string, string> | undefined {
  if (!spec) return undefined;
  const lines: Record<string, string> = { ...spec.literal };
  for (const [name, ref] of Object.entries(spec.fromEnv)) lines[name] = `${ref.prefix ?? ''}\${${ref.env}}`;
  return lines;
}

/**
 * The entry with the values of its `--header "Name: value"` arguments hidden (mcp-remote entries
 * other tools wrote often carry the key right there), for anything that shows a command line.
 * References (`${VAR}`) stay: they are not secrets.
 */
export function withHeaderArgsHidden(raw: unknown): unknown {
  if (!isRecord(raw) || !Array.isArray(raw.args) || !raw.args.includes('--header')) return raw;
  const args = raw.args.map((arg, i, all) => {
    if (i === 0 || all[i - 1] !== '--header' || typeof arg !== 'string') return arg;
    const colon = arg.indexOf(':');
    const value = colon > 0 ? arg.slice(colon + 1).trim() : '';
    return colon > 0 && !/^([\w ]*\$\{[A-Za-z_][A-Za-z0-9_]*\})$/.test(value) ? `${arg.slice(0, colon + 1)} (hidden)` : arg;
  });
  return { ...raw, args };
}

/**
 * A command the app runs to make this entry's headers (Claude Code `headersHelper`, Codex
 * `http_headers_helper`). mcp-setup never runs it: a check without those headers is named as
 * such instead of reading as "needs sign-in".
 */
export function headersHelperOf(raw: unknown): string | undefined {
  if (!isRecord(raw)) return undefined;
  for (const key of ['headersHelper', 'http_headers_helper']) {
    const value = raw[key];
    if (value !== undefined && value !== null && value !== '') return key;
  }
  return undefined;
}

