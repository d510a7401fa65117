/**
 * The world as the services see it. Everything that touches the machine (paths, environment,
 * network, clock, browser, PATH lookups) arrives through these interfaces so the same code runs
 * under the TUI, the plain commands and the tests (temp HOME, pretend-Windows, loopback servers).
 */

export type Platform = 'linux' | 'darwin' | 'win32';

export type Env = Readonly<Record<string, string | undefined>>;

/** Facts about the machine, read once by the composition root. */
export interface SystemInfo {
  platform: Platform;
  /** The user's home directory (HOME / USERPROFILE). */
  home: string;
  /** The working directory the command was started in (project scopes hang off it). */
  cwd: string;
  env: Env;
  /** Running under Windows Subsystem for Linux (Windows-side app files are reachable). */
  isWsl: boolean;
  /**
   * How this mcp-setup was started, for entries that launch it again (the stdio bridge): the
   * absolute `node` binary (GUI apps lack the shell's PATH) and the real path of bin/mcp-setup.js.
   */
  launcher?: { node: string; script?: string };
}

export type FetchFn = typeof fetch;

export interface Deps {
  system: SystemInfo;
  /** Proxy- and CA-aware fetch. */
  fetch: FetchFn;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Absolute path of an executable on PATH, or null. */
  which(command: string): Promise<string | null>;
  /** mcp-setup's own state directory (backups, undo journal, tokens). */
  stateDir: string;
  /**
   * Open an http(s) URL in the user's browser. Resolves true when a browser was launched as far
   * as we can tell (the `open` package resolves even when none starts, so callers must still show
   * the URL). Never called with anything but http(s).
   */
  openBrowser(url: string): Promise<boolean>;
}
