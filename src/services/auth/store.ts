import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import Conf from 'conf';
import type { AuthorizationServerMetadata, OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { AuthDeps, TokenStorage } from './types.js';
import { AUTH_STATE_FILE } from './state-file.js';
import { writeAtomically } from '../config-file.js';

/** Discovery results we trust (already validated), cached so refresh and logout skip discovery. */
export interface StoredDiscovery {
  /** The issuer identifier as the resource server advertised it (or the legacy origin). */
  authorizationServerUrl: string;
  resourceMetadataUrl?: string;
  resourceMetadata?: OAuthProtectedResourceMetadata;
  /** Raw metadata (fields the SDK drops are kept: device, revocation, iss support). */
  authorizationServerMetadata?: AuthorizationServerMetadata & Record<string, unknown>;
  /** The RFC 8707 `resource` we send, or null when omitted. */
  resource: string | null;
  /** True when the AS had no metadata and the 2025-03-26 default endpoints are used. */
  legacyDefaults?: boolean;
}

export interface StoredClient {
  client_id: string;
  kind: 'preregistered' | 'cimd' | 'dcr';
  redirect_uris?: string[];
  grant_types?: string[];
  token_endpoint_auth_method?: string;
  /** Scope sent at registration: some ASes (oidc-provider) refuse requests beyond it. */
  scope?: string;
  /** The SDK's binding stamp (the AS URL discovery used). */
  issuer: string;
  hasSecret: boolean;
  registeredAt: number;
}

export interface StoredTokenInfo {
  expiresAt?: number;
  scope?: string;
  tokenType: string;
  hasRefreshToken: boolean;
  obtainedAt: number;
  method: 'loopback' | 'paste' | 'device' | 'refresh';
}

export interface IssuerState {
  discovery: StoredDiscovery;
  client?: StoredClient;
  tokens?: StoredTokenInfo;
  /** Where this issuer's secret record (tokens, client secret) lives. */
  secretStore?: TokenStorage;
  /** Every scope requested so far: step-up asks for the union (2026-07-28). */
  requestedScopes?: string;
}

export interface ServerState {
  activeIssuer?: string;
  callback?: { host: '127.0.0.1' | 'localhost'; port: number };
  byIssuer: Record<string, IssuerState>;
}

interface StateFile {
  version?: 1;
  servers?: Record<string, ServerState>;
}

export interface SecretRecord {
  access_token?: string;
  refresh_token?: string;
  id_token?: string;
  client_secret?: string;
}

/** Non-secret state in `conf` (one JSON file, mode 0600, under the state dir). */
export class AuthStateStore {
  private readonly conf: Conf<StateFile>;

  constructor(stateDir: string) {
    this.conf = new Conf<StateFile>({
      cwd: stateDir,
      configName: AUTH_STATE_FILE.replace(/\.json$/, ''),
      configFileMode: 0o600,
      projectName: 'mcp-setup',
      // No `defaults`: with them conf writes (and fsyncs) a defaults file the moment it is
      // constructed, before anything is known; the file is first written by an update.
    });
  }

  /** conf re-reads the file on every access, so another process's writes are seen. */
  server(serverKey: string): ServerState | undefined {
    return this.conf.get('servers')?.[serverKey];
  }

  updateServer(serverKey: string, update: (state: ServerState) => ServerState | undefined): void {
    // One read of the file for the whole update (conf.get + conf.set would read it twice more).
    const servers = { ...this.conf.store.servers };
    const next = update(servers[serverKey] ?? { byIssuer: {} });
    if (next) servers[serverKey] = next;
    else delete servers[serverKey];
    this.conf.store = { version: 1, servers };
  }

  issuer(serverKey: string, issuer?: string): { issuer: string; state: IssuerState } | undefined {
    const server = this.server(serverKey);
    const key = issuer ?? server?.activeIssuer;
    const state = key ? server?.byIssuer[key] : undefined;
    return key && state ? { issuer: key, state } : undefined;
  }

  updateIssuer(serverKey: string, issuer: string, update: (state: IssuerState | undefined) => IssuerState): void {
    this.updateServer(serverKey, (server) => ({ ...server, byIssuer: { ...server.byIssuer, [issuer]: update(server.byIssuer[issuer]) } }));
  }
}

export interface SecretStore {
  readonly kind: TokenStorage;
  get(account: string): Promise<SecretRecord | undefined>;
  set(account: string, value: SecretRecord): Promise<void>;
  delete(account: string): Promise<void>;
}

/** What @napi-rs/keyring's AsyncEntry offers; injectable for tests. */
export interface KeychainBackend {
  getPassword(service: string, account: string, signal: AbortSignal): Promise<string | null>;
  setPassword(service: string, account: string, password: string, signal: AbortSignal): Promise<void>;
  deletePassword(service: string, account: string, signal: AbortSignal): Promise<boolean>;
}

const SERVICE = 'mcp-setup';
const KEYCHAIN_TIMEOUT_MS = 2000;

async function napiKeychain(): Promise<KeychainBackend> {
  const { AsyncEntry } = await import('@napi-rs/keyring');
  return {
    getPassword: (service, account, signal) => new AsyncEntry(service, account).getPassword(signal),
    setPassword: (service, account, password, signal) => new AsyncEntry(service, account).setPassword(password, signal),
    deletePassword: (service, account, signal) => new AsyncEntry(service, account).deletePassword(signal),
  };
}

/** Bound a keychain call: a locked Secret Service on headless Linux can hang forever. */
async function bounded<T>(run: (signal: AbortSignal) => Promise<T>, timeoutMs = KEYCHAIN_TIMEOUT_MS): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error('keychain timed out'));
    }, timeoutMs);
    timer.unref?.();
  });
  try {
    return await Promise.race([run(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

class KeychainSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;
  constructor(private readonly backend: KeychainBackend) {}
  async get(account: string): Promise<SecretRecord | undefined> {
    const raw = await bounded((signal) => this.backend.getPassword(SERVICE, account, signal));
    return raw ? parseSecret(raw) : undefined;
  }
  async set(account: string, value: SecretRecord): Promise<void> {
    await bounded((signal) => this.backend.setPassword(SERVICE, account, JSON.stringify(value), signal));
  }
  async delete(account: string): Promise<void> {
    await bounded((signal) => this.backend.deletePassword(SERVICE, account, signal)).catch(() => false);
  }
}

function parseSecret(raw: string): SecretRecord | undefined {
  try {
    const value = JSON.parse(raw) as unknown;
    return value && typeof value === 'object' ? (value as SecretRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** One 0600 file per account in a 0700 directory, replaced atomically. */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file' as const;
  readonly dir: string;
  constructor(stateDir: string) {
    this.dir = path.join(stateDir, 'secrets');
  }
  fileFor(account: string): string {
    return path.join(this.dir, `${createHash('sha256').update(account).digest('hex').slice(0, 40)}.json`);
  }
  private async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    // mkdir's mode does not apply to a directory that already existed.
    await chmod(this.dir, 0o700);
  }
  async get(account: string): Promise<SecretRecord | undefined> {
    try {
      return parseSecret(await readFile(this.fileFor(account), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
  async set(account: string, value: SecretRecord): Promise<void> {
    await this.ensureDir();
    // The config writer's temp file + fsync + rename, which also removes the temp file on failure.
    await writeAtomically(this.fileFor(account), JSON.stringify({ account, ...value }), 0o600);
  }
  async delete(account: string): Promise<void> {
    await rm(this.fileFor(account), { force: true });
  }
}

const probeCache = new WeakMap<KeychainBackend, Promise<boolean>>();
let defaultBackend: Promise<KeychainBackend | undefined> | undefined;

/** Write, read back and delete a throw-away entry; any failure or a hang means "no keychain". */
async function keychainWorks(backend: KeychainBackend, timeoutMs: number): Promise<boolean> {
  const cached = probeCache.get(backend);
  if (cached) return cached;
  const probe = (async () => {
    const account = `probe-${randomBytes(6).toString('hex')}`;
    try {
      await bounded((signal) => backend.setPassword(SERVICE, account, 'probe', signal), timeoutMs);
      const back = await bounded((signal) => backend.getPassword(SERVICE, account, signal), timeoutMs);
      await bounded((signal) => backend.deletePassword(SERVICE, account, signal), timeoutMs).catch(() => false);
      return back === 'probe';
    } catch {
      return false;
    }
  })();
  probeCache.set(backend, probe);
  return probe;
}

/**
 * The store new secrets go to: the OS keychain when it answers within the probe timeout, else
 * the file store. `authConfig.tokenStore` ('file' | 'keychain' | 'auto') comes from the
 * composition root (env MCP_SETUP_TOKEN_STORE).
 */
export async function chooseSecretStore(deps: AuthDeps): Promise<SecretStore> {
  const config = deps.authConfig ?? {};
  const preference = config.tokenStore ?? 'auto';
  if (preference === 'file') return new FileSecretStore(deps.stateDir);
  let backend = config.keychain;
  if (!backend) {
    defaultBackend ??= napiKeychain().catch(() => undefined);
    backend = await defaultBackend;
  }
  if (backend && (await keychainWorks(backend, config.keychainProbeTimeoutMs ?? KEYCHAIN_TIMEOUT_MS))) return new KeychainSecretStore(backend);
  return new FileSecretStore(deps.stateDir);
}

/** The store a given record was written to (recorded in the non-secret state). */
export async function secretStoreOfKind(kind: TokenStorage, deps: AuthDeps): Promise<SecretStore> {
  if (kind === 'file') return new FileSecretStore(deps.stateDir);
  let backend = deps.authConfig?.keychain;
  if (!backend) {
    defaultBackend ??= napiKeychain().catch(() => undefined);
    backend = await defaultBackend;
  }
  if (!backend) return new FileSecretStore(deps.stateDir);
  return new KeychainSecretStore(backend);
}

/** Keychain account / file key: canonical server URL + AS issuer (2026-07-28 binding rule). */
export function secretAccount(serverKey: string, issuer: string): string {
  return `${serverKey}|${issuer}`;
}

export async function ensureStateDir(stateDir: string): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
}
