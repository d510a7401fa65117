import type { SystemInfo } from '../deps.js';

/** Every client id the command line accepts (registry.ts holds an adapter for each). */
export const CLIENT_IDS = [
  'claude-code',
  'claude-desktop',
  'cursor',
  'vscode',
  'vscode-insiders',
  'windsurf',
  'gemini-cli',
  'codex',
  'zed',
  'cline',
  'roo-code',
  'goose',
  'opencode',
  'copilot-cli',
  'kiro',
  'lm-studio',
  'continue',
  'antigravity',
] as const;

export type ClientId = (typeof CLIENT_IDS)[number];

/** user: this person everywhere · project: a file in the repo, shared · local: this person in this project. */
export type Scope = 'user' | 'project' | 'local';

export type ConfigFormat = 'json' | 'jsonc' | 'toml' | 'yaml';

export type RemoteTransport = 'http' | 'sse';

/**
 * A header whose value the client reads from an environment variable when it connects, so the
 * secret never lands in the file: `{env: "MY_TOKEN", prefix: "Bearer "}` for
 * `Authorization: Bearer $MY_TOKEN`.
 */
export interface EnvHeader {
  env: string;
  prefix?: string;
}

/** What the user asked for, independent of any client's spelling. */
export interface RemoteServerSpec {
  name: string;
  url: string;
  /** Literal header values, written as they are. */
  headers?: Record<string, string>;
  /**
   * Headers taken from environment variables. Each adapter writes them in its own form
   * (`envHeaders` below); an adapter whose client can't expand variables refuses with a UserError.
   */
  envHeaders?: Record<string, EnvHeader>;
  transport?: RemoteTransport;
  /**
   * The tools the app may use (after the live tools list). Written only by adapters whose
   * `toolFilter` is not null; the others ignore it (the UI says so).
   */
  enabledTools?: string[];
}

/** Where a client keeps its servers for one scope. */
export interface ConfigLocation {
  file: string;
  format: ConfigFormat;
  /** Key path from the document root to the servers (e.g. ["mcpServers"]). */
  serversPath: string[];
  /**
   * Set when the servers are a list of objects identified by this field rather than a map keyed
   * by name (Continue: `mcpServers: [{name: …}]`).
   */
  listKey?: string;
  /** Mode for a newly created file. */
  createMode?: number;
  /**
   * What the app's own JSON reader accepts (json/jsonc only). Unset: comments and trailing
   * commas (JSONC). 'strict': plain JSON — Claude Code calls a commented ~/.claude.json corrupt
   * and won't start. 'comments': comments but no trailing commas (Gemini CLI 0.61 exits 52).
   */
  jsonGrammar?: 'strict' | 'comments';
  /** Which of several files this is, for the UI ("profile Work", "Windows side", "Cursor host"). */
  label?: string;
}

/** An entry read back from a client file, in a client-neutral shape. */
export interface EntrySummary {
  url?: string;
  command?: string;
  transport?: string;
}

export interface DetectionHints {
  /** Files or folders whose existence means the app is (or was) installed. */
  paths: string[];
  /** Executables on PATH that mean the app is installed. */
  commands: string[];
}

/** How a client takes a header value from the environment (clients.md §2, "Env-var interpolation"). */
export type EnvHeaderSupport =
  /** The client expands a placeholder inside header values: `reference("TOKEN")` → "${env:TOKEN}". */
  | { kind: 'template'; reference(varName: string): string }
  /** The client has dedicated fields naming variables (Codex `bearer_token_env_var`, `env_http_headers`). */
  | { kind: 'names' };

/** A per-server tool allow-list the client honours. */
export interface ToolFilter {
  /** The entry field holding it (Codex `enabled_tools`, Gemini `includeTools`, Goose `available_tools`). */
  field: string;
}

/**
 * One client, as data first: where its files are per OS and scope, how it spells a remote entry,
 * how to tell it's installed, and what the user does after we write.
 */
export interface ClientAdapter {
  id: ClientId;
  displayName: string;
  scopes: readonly Scope[];
  defaultScope: Scope;
  /** The default file for a scope, computed without touching the disk (what we create when none exists). */
  locate(system: SystemInfo, scope: Scope): ConfigLocation;
  /**
   * Every file the client may read for `scope`, best first, probing the disk where the right
   * file depends on what is installed (Claude Desktop MSIX packages, VS Code profiles, opencode
   * .json vs .jsonc, Cline's host editors). The first is where a new server goes. Omitted means
   * `[locate(system, scope)]`. Use `locationsFor` (registry.ts), which also adds WSL's Windows side.
   */
  candidates?(system: SystemInfo, scope: Scope): Promise<ConfigLocation[]>;
  detection(system: SystemInfo): DetectionHints;
  /**
   * The client's own spelling of a remote server. Throws a UserError when the spec asks for
   * something the client can't express (env headers it can't expand, remote on a stdio-only app).
   */
  remoteEntry(spec: RemoteServerSpec): Record<string, unknown>;
  summarize(raw: unknown): EntrySummary;
  /** What to do after the file is written, e.g. "Restart Cursor"; "{name}" stands for the server's name. */
  nextStep: string;
  /**
   * False when the client's file takes local (stdio) servers only (Claude Desktop): `planAdd`
   * refuses a remote entry; `bridgeEntry` spells the stdio bridge (`mcp-setup proxy URL`).
   * Absent means true.
   */
  supportsRemote?: boolean;
  /** A stdio entry running `command args…`, for the bridge to a remote server. */
  bridgeEntry?(command: string, args: string[]): Record<string, unknown>;
  /** How header values can come from the environment; absent = they can't (secrets are written). */
  envHeaders?: EnvHeaderSupport;
  /** The per-server tool filter, or null: the client has none (say so plainly in the UI). */
  toolFilter: ToolFilter | null;
  /** Entry fields that carry headers (default [["headers"]]); `update --header` rewrites exactly these. */
  headerFields?: string[][];
  /** Fields inside the entry that repeat the server's name (Goose `name`); rename keeps them in step. */
  nameFields?: string[];
  /** A Windows app whose Windows-side files are offered too when running under WSL. */
  windowsApp?: boolean;
}

export interface Detection {
  installed: boolean;
  /** What we found, for the UI ("~/.cursor", "code on PATH"). */
  evidence: string | null;
}
