import type { SystemInfo } from '../deps.js';

/** Every client id the command line accepts (adapters arrive over time; see registry.ts). */
export type ClientId =
  | 'claude-code'
  | 'claude-desktop'
  | 'cursor'
  | 'vscode'
  | 'vscode-insiders'
  | 'windsurf'
  | 'gemini-cli'
  | 'codex'
  | 'zed'
  | 'cline'
  | 'roo-code'
  | 'goose'
  | 'opencode'
  | 'copilot-cli'
  | 'kiro'
  | 'lm-studio'
  | 'continue'
  | 'antigravity';

/** user: this person everywhere · project: a file in the repo, shared · local: this person in this project. */
export type Scope = 'user' | 'project' | 'local';

export type ConfigFormat = 'json' | 'jsonc' | 'toml' | 'yaml';

export type RemoteTransport = 'http' | 'sse';

/** What the user asked for, independent of any client's spelling. */
export interface RemoteServerSpec {
  name: string;
  url: string;
  headers?: Record<string, string>;
  transport?: RemoteTransport;
}

/** Where a client keeps its servers for one scope. */
export interface ConfigLocation {
  file: string;
  format: ConfigFormat;
  /** Key path from the document root to the map of servers (e.g. ["mcpServers"]). */
  serversPath: string[];
  /** Mode for a newly created file. */
  createMode?: number;
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

/**
 * One client, as data first: where its files are per OS and scope, how it spells a remote entry,
 * how to tell it's installed, and what the user does after we write.
 */
export interface ClientAdapter {
  id: ClientId;
  displayName: string;
  scopes: readonly Scope[];
  defaultScope: Scope;
  locate(system: SystemInfo, scope: Scope): ConfigLocation;
  detection(system: SystemInfo): DetectionHints;
  remoteEntry(spec: RemoteServerSpec): Record<string, unknown>;
  summarize(raw: unknown): EntrySummary;
  /** What to do after the file is written, e.g. "Restart Cursor". */
  nextStep: string;
}

export interface Detection {
  installed: boolean;
  /** What we found, for the UI ("~/.cursor", "code on PATH"). */
  evidence: string | null;
}
