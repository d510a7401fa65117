import type { Deps } from '../deps.js';
import type { KeychainBackend } from './store.js';

export type TokenStorage = 'keychain' | 'file';
export type LoginMethod = 'loopback' | 'paste' | 'device';

/** Settings the composition root passes in (it reads env; services don't). */
export interface AuthConfig {
  /** MCP_SETUP_TOKEN_STORE: 'file' forces the 0600 file store; default 'auto' probes the keychain. */
  tokenStore?: 'auto' | 'keychain' | 'file';
  /** CIMD client_id (an https URL with a path) once the project hosts a client metadata document. */
  clientMetadataUrl?: string;
  /** Sent as `software_version` in dynamic registration. */
  softwareVersion?: string;
  /** Tests: a fake keychain, and a shorter probe. */
  keychain?: KeychainBackend;
  keychainProbeTimeoutMs?: number;
}

export type AuthDeps = Deps & { authConfig?: AuthConfig };

export interface LoginRequest {
  serverUrl: string;
  clientId?: string;
  clientSecret?: string;
  callbackPort?: number;
  callbackHost?: '127.0.0.1' | 'localhost';
  /** Send the RFC 8707 `resource` parameter (default true; false for ASes such as Entra v2 that reject it). */
  useResource?: boolean;
  /** Extra scopes (e.g. from a 403 insufficient_scope challenge); unioned with what was asked before. */
  scopes?: string[];
  /** No browser here: show the URL, take a paste, prefer the device grant when offered. */
  headless: boolean;
  /** 'auto' (default): device grant only when headless and advertised. */
  grant?: 'auto' | 'browser' | 'device';
  signal?: AbortSignal;
  /** How long to wait for the browser or the device approval (default 5 minutes). */
  timeoutMs?: number;
}

export interface AuthUrlInfo {
  browserOpened: boolean;
  headless: boolean;
  redirectUri: string;
  /** Over SSH: `ssh -N -L <port>:127.0.0.1:<port> user@host`, to run on the user's own machine. */
  sshTunnel?: string;
}

export interface DeviceCodeInfo {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  expiresAt: number;
}

export interface LoginEvents {
  onAuthUrl?(url: string, info: AuthUrlInfo): void;
  onDeviceCode?(info: DeviceCodeInfo): void;
  /** Short progress lines; never contain secrets or text the AS sent. */
  onStatus?(text: string): void;
}

export interface LoginResult {
  serverUrl: string;
  issuer: string;
  scopes: string[];
  expiresAt?: number;
  tokenStorage: TokenStorage;
  method: LoginMethod;
  /** Set when a pasted bare code was used: `state` could not be checked. */
  warning?: string;
}

export type PasteOutcome = { ok: true; warning?: string } | { ok: false; message: string };

export interface LoginSession {
  result: Promise<LoginResult>;
  /**
   * The redirect URL from the browser's address bar, or a bare code. Resolves once the paste
   * finished the sign-in ({ok: true}) or was refused ({ok: false}; the listener keeps waiting).
   */
  submitPaste(text: string): Promise<PasteOutcome>;
}

export interface TokenStatus {
  present: boolean;
  expiresAt?: number;
  hasRefreshToken: boolean;
  issuer?: string;
  scopes?: string[];
  storage?: TokenStorage;
}

export interface LogoutResult {
  /** An RFC 7009 revocation request was accepted by the AS. */
  revoked: boolean;
  /** Local tokens existed and were deleted. */
  removed: boolean;
}
