import type { HeaderSpec } from '../headers.js';
import type { Deps } from '../deps.js';
import type { TokenStatus } from '../auth/types.js';
import type { ProxyDecision } from '../net.js';

/**
 * The doctor's layers, in the order a connection depends on them. A failure in one explains the
 * failures after it, so the first failing layer is the cause and sets the exit code.
 */
export type Layer = 'config' | 'network' | 'http' | 'auth' | 'mcp' | 'client';
export const LAYERS: readonly Layer[] = ['config', 'network', 'http', 'auth', 'mcp', 'client'];

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** Stable fix ids: the screen maps them to actions, scripts can match on them. */
export type FixId =
  | 'sign-in'
  | 'add-header'
  | 'set-env'
  | 'fix-url'
  | 'use-final-url'
  | 'use-sse'
  | 'trust-ca'
  | 'fix-proxy'
  | 'set-proxy'
  | 'bypass-proxy'
  | 'check-host'
  | 'check-network'
  | 'start-server'
  | 'retry-later'
  | 'contact-operator'
  | 'fix-clock'
  | 'fix-entry'
  | 'remove-duplicate'
  | 'reload-client'
  | 'check-access'
  | 'support-bundle';

export interface Fix {
  id: FixId;
  label: string;
  /** A command the user (or the screen) can run as is. */
  command?: string;
}

export interface Check {
  /** Stable, e.g. `net.tls`, `http.status`, `mcp.tools`. */
  id: string;
  layer: Layer;
  status: CheckStatus;
  /** What happened, in one or two sentences. Never contains secrets. */
  detail: string;
  /** The likely cause, when the check did not pass. */
  hint?: string;
  fix?: Fix;
}

/** One entry as a client has it, fed by the adapters (`listServers` in manage.ts). */
export interface ConfiguredEntry {
  client: string;
  /** "Cursor", "Claude Code", for messages. */
  clientName?: string;
  scope: string;
  file: string;
  name: string;
  url?: string;
  command?: string;
  transport?: string;
  /** The headers this app sends (values may be keys: sent in checks, never shown). */
  headers?: HeaderSpec;
  /** The entry's field naming a command the app runs for more headers (never run here). */
  headersHelper?: string;
  /** What the adapter found wrong with the entry: wrong key, wrong type, wrong file, bare SSE URL… */
  problems?: EntryProblem[];
  /** What the user does after the file changed, e.g. "Restart Cursor" (adapter.nextStep). */
  reload?: string;
}

export interface EntryProblem {
  /** Stable, e.g. `wrong-key`, `wrong-file`, `missing-type`, `desktop-remote-entry`. */
  code: string;
  message: string;
  hint?: string;
  fix?: Fix;
  /** Default 'fail': the client will not load the entry. */
  severity?: 'warn' | 'fail';
}

/** What to check. Headers may hold secrets: they are sent, never shown. */
export interface DoctorTarget {
  url: string;
  name?: string;
  headers?: Record<string, string>;
  /** Where `headers` came from when no --header was given: the app whose entry sends them. */
  headersFrom?: { app: string; names: string[]; helper?: string };
  /** Variables that app reads a header from but that aren't set here: those headers weren't sent. */
  missingEnv?: string[];
  transport?: 'http' | 'sse';
  /** Set by `--all`, one report per configured server and client. */
  client?: string;
  scope?: string;
  file?: string;
  /** Every place the server is configured (all clients and scopes), for the configuration layer. */
  entries?: ConfiguredEntry[];
}

/** The target as it appears in reports and JSON: no headers. */
export interface ReportTarget {
  url: string;
  name?: string;
  client?: string;
  scope?: string;
  file?: string;
}

/** Address results of a lookup, as `dns.lookup(host, {all: true})` returns them. */
export type Resolver = (host: string, signal: AbortSignal) => Promise<Array<{ address: string; family: number }>>;

/** Deps the doctor uses, plus its own injections (a resolver so tests never hit real DNS, extra CAs). */
export type DoctorDeps = Pick<Deps, 'fetch' | 'now' | 'system'> & {
  resolve?: Resolver;
  /** Extra trusted CAs (PEM), the same ones given to createFetch. */
  extraCaPem?: string;
};

/** The sign-in side, fed by the OAuth services (`tokenStatus`). Omitted: the auth layer judges only the 401. */
export interface AuthFeed {
  tokenStatus?(serverUrl: string): Promise<TokenStatus | null>;
  /** A usable access token (refreshed if needed). Sent, never shown. */
  accessToken?(serverUrl: string): Promise<string | undefined>;
}

/** What earlier layers learned, for later layers and extensions. */
export interface Facts {
  proxy?: ProxyDecision;
  addresses?: string[];
  certificate?: { subject: string; issuer: string; validTo: string; daysLeft: number };
  http?: {
    status: number;
    contentType: string;
    wwwAuthenticate: string | null;
    finalUrl: string;
    redirects: string[];
    sentToken: boolean;
    legacySse: boolean;
  };
  token?: TokenStatus | null;
  /** From the auth feed: sent as a Bearer token, never shown, never part of a report. */
  accessToken?: string;
  /** Why the auth feed could not give a token (refresh failed, revoked…), already redacted. */
  tokenError?: string;
  server?: ServerFacts;
}

export interface ServerFacts {
  name: string;
  version: string;
  protocolVersion: string;
  transport: 'streamable-http' | 'sse';
  capabilities: string[];
  tools: string[];
  pages: number;
}

export interface CheckContext {
  target: DoctorTarget;
  deps: DoctorDeps;
  signal: AbortSignal;
  facts: Facts;
  /** Milliseconds left in this server's budget. */
  remainingMs(): number;
}

/** A pluggable check for layers 1 (config), 4 (auth) and 6 (client side). */
export type ExtensionCheck = (ctx: CheckContext) => Promise<Check[]> | Check[];

export interface DoctorExtensions {
  config?: ExtensionCheck[];
  auth?: ExtensionCheck[];
  client?: ExtensionCheck[];
}

export interface DoctorOptions {
  signal?: AbortSignal;
  /** The whole budget for one server (default 20 s); each step gets a share of what is left. */
  timeoutMs?: number;
  /** Called as each check finishes, in order (the screen and the plain reporter stream these). */
  onCheck?: (check: Check, target: ReportTarget) => void;
  auth?: AuthFeed;
  extensions?: DoctorExtensions;
}

export interface Cause {
  check: string;
  layer: Layer;
  exitCode: number;
  detail: string;
  hint?: string;
  fix?: Fix;
}

/** `doctor --json`: {target, checks, cause?}, plus what we learned about the server. */
export interface DoctorReport {
  target: ReportTarget;
  checks: Check[];
  cause?: Cause;
  server?: ServerFacts;
  durationMs: number;
}
