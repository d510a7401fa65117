import type { Env } from './deps.js';
import type { EnvHeader } from './clients/types.js';
import { UserError } from './errors.js';

/**
 * `--header 'Authorization: Bearer ${MY_TOKEN}'` means "read it from MY_TOKEN": the app's config
 * gets a reference in the app's own syntax (${VAR}, ${env:VAR}, Codex env fields), never the
 * secret; our own live check expands it from this environment.
 */
const REFERENCE = /^(.*?)\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/s;

export type HeaderLine = { ok: true; name: string; value: string } | { ok: false; message: string };

/**
 * "Name: value" as typed on a command line or in the wizard. Errors never repeat the value: a
 * header is where API keys live.
 */
export function parseHeaderLine(raw: string): HeaderLine {
  const colon = raw.indexOf(':');
  const name = colon > 0 ? raw.slice(0, colon).trim() : '';
  const value = colon > 0 ? raw.slice(colon + 1).trim() : '';
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name) || value === '') {
    return { ok: false, message: 'A header is "Name: value", e.g. Authorization: Bearer ${MY_TOKEN}.' };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\r\n\u0000]/.test(value)) return { ok: false, message: `The value of header ${name} contains a line break.` };
  return { ok: true, name, value };
}

export interface HeaderSpec {
  /** Written as they are. */
  literal: Record<string, string>;
  /** Written as references to environment variables. */
  fromEnv: Record<string, EnvHeader>;
}

export function splitHeaders(headers: Record<string, string> | undefined): HeaderSpec {
  const spec: HeaderSpec = { literal: {}, fromEnv: {} };
  for (const [name, value] of Object.entries(headers ?? {})) {
    const match = REFERENCE.exec(value);
    if (match) spec.fromEnv[name] = { env: match[2]!, ...(match[1] ? { prefix: match[1] } : {}) };
    else spec.literal[name] = value;
  }
  return spec;
}

/** The values to send now: references expanded from `env`; a missing variable is an error naming it. */
export function expandHeaderReferences(
  headers: Record<string, string> | undefined,
  env: Env,
  /** What to do about a missing variable, where the caller knows better (the bridge: the app's "env"). */
  nextStep?: string | ((variable: string) => string),
): Record<string, string> | undefined {
  if (!headers) return undefined;
  const { literal, fromEnv } = splitHeaders(headers);
  const resolved = { ...literal };
  for (const [name, ref] of Object.entries(fromEnv)) {
    const value = env[ref.env];
    if (value === undefined || value === '') {
      throw new UserError({
        code: 'usage',
        message: `The ${name} header reads \${${ref.env}}, but ${ref.env} isn't set here.`,
        hint: 'The app will read it from its own environment; this check needs it too.',
        nextSteps: [typeof nextStep === 'function' ? nextStep(ref.env) : (nextStep ?? `Set it first (export ${ref.env}=…) and run this again.`)],
        exitCode: 2,
      });
    }
    resolved[name] = `${ref.prefix ?? ''}${value}`;
  }
  return resolved;
}

export function hasEntries(record: Record<string, unknown>): boolean {
  return Object.keys(record).length > 0;
}

/**
 * Replace the literal header values (API keys) wherever they appear in text shown to the user:
 * a preview of an entry in any app's spelling (headers, http_headers, a bridge's env) or a diff.
 * `${VAR}` references are not secrets and stay visible.
 */
export function hideHeaderValues(text: string, headers: Record<string, string> | undefined): string {
  const secrets = Object.values(splitHeaders(headers).literal).filter((v) => v.length >= 4);
  // Longest first, so a value containing another is hidden whole.
  return secrets.sort((a, b) => b.length - a.length).reduce((acc, v) => acc.split(v).join('(hidden)'), text);
}

