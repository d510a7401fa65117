import { promises as fs } from 'node:fs';
import type { SystemInfo } from '../deps.js';
import { baseDirs } from '../platform-paths.js';
import { sameServerUrl } from '../url.js';
import type { ClientId } from './types.js';

/**
 * Apps keep their own MCP sign-ins (mcp-setup's tokens don't carry over). Where an app keeps them
 * in a file, that file says, per server, whether a token exists, when it expires and whether a
 * refresh token can renew it; mcp-setup reads exactly that, never a token's value.
 */
export type AppSignIn =
  | { state: 'none' }
  | { state: 'signed-in' | 'expired'; expiresAt?: number; refreshable: boolean };

/** One record, in the fields that matter here. */
interface SignInRecord {
  name: unknown;
  url: unknown;
  accessToken: unknown;
  refreshToken: unknown;
  expiresAt: unknown;
}

interface SignInStore {
  /** The file, or undefined where the app keeps them elsewhere (a keychain). */
  file(system: SystemInfo): string | undefined;
  records(document: unknown): SignInRecord[];
  /** False where the app may keep a sign-in elsewhere too (a keyring): no record then proves nothing. */
  complete: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The formats, as real `claude mcp login` (2.1.330) and `codex mcp login` (0.169, file store) write them. */
const STORES: Partial<Record<ClientId, SignInStore>> = {
  // <CLAUDE_CONFIG_DIR or ~/.claude>/.credentials.json → mcpOAuth["name|hash"]: serverName,
  // serverUrl, accessToken, refreshToken, expiresAt (ms). On macOS: the keychain (not read).
  'claude-code': {
    file(system) {
      if (system.platform === 'darwin') return undefined;
      const dirs = baseDirs(system);
      return dirs.join(system.env.CLAUDE_CONFIG_DIR || dirs.join(system.home, '.claude'), '.credentials.json');
    },
    records(document) {
      const all = isRecord(document) && isRecord(document.mcpOAuth) ? Object.values(document.mcpOAuth) : [];
      return all.filter(isRecord).map((r) => ({ name: r.serverName, url: r.serverUrl, accessToken: r.accessToken, refreshToken: r.refreshToken, expiresAt: r.expiresAt }));
    },
    complete: true,
  },
  // <CODEX_HOME or ~/.codex>/.credentials.json when the OS keyring isn't used (the file store):
  // {"name|hash": {server_name, server_url, access_token, refresh_token, expires_at (ms)}}.
  codex: {
    file(system) {
      const dirs = baseDirs(system);
      return dirs.join(system.env.CODEX_HOME || dirs.join(system.home, '.codex'), '.credentials.json');
    },
    records(document) {
      const all = isRecord(document) ? Object.values(document) : [];
      return all.filter(isRecord).map((r) => ({ name: r.server_name, url: r.server_url, accessToken: r.access_token, refreshToken: r.refresh_token, expiresAt: r.expires_at }));
    },
    // Codex prefers the OS keyring and falls back to this file.
    complete: false,
  },
};

/** Where `client` keeps its sign-ins in a file mcp-setup can read, if it does. */
export function appCredentialsFile(system: SystemInfo, client: ClientId): string | undefined {
  return STORES[client]?.file(system);
}

const filled = (value: unknown): boolean => typeof value === 'string' && value !== '';

/**
 * Read one app's sign-ins once; `of(name, url)` then answers per server, undefined where the file
 * can't tell (the app may keep it in a keyring). Undefined overall: not kept in a file here.
 */
export async function appSignIns(system: SystemInfo, client: ClientId, now: number): Promise<{ file: string; of(name: string, url: string): AppSignIn | undefined } | 'unreadable' | undefined> {
  const store = STORES[client];
  const file = store?.file(system);
  if (!store || !file) return undefined;
  let records: SignInRecord[];
  try {
    records = store.records(JSON.parse(await fs.readFile(file, 'utf8')) as unknown);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return 'unreadable';
    records = [];
  }
  return {
    file,
    of(name, url) {
      const record = records.find((r) => r.name === name && typeof r.url === 'string' && sameServerUrl(r.url, url));
      const refreshable = filled(record?.refreshToken);
      if (!record || (!filled(record.accessToken) && !refreshable)) return store.complete ? { state: 'none' } : undefined;
      const expiresAt = typeof record.expiresAt === 'number' ? record.expiresAt : undefined;
      const expired = expiresAt !== undefined && expiresAt <= now;
      return { state: expired && !refreshable ? 'expired' : 'signed-in', ...(expiresAt !== undefined ? { expiresAt } : {}), refreshable };
    },
  };
}

/** Each entry's app sign-in, reading each app's file once; entries the files can't speak for are left out. */
export async function appSignInsFor<T extends { client: ClientId; name: string; url?: string }>(system: SystemInfo, entries: T[], now: number): Promise<Map<T, AppSignIn>> {
  const found = new Map<T, AppSignIn>();
  const readable = entries.filter((e): e is T & { url: string } => STORES[e.client] !== undefined && typeof e.url === 'string');
  for (const client of new Set(readable.map((e) => e.client))) {
    const signIns = await appSignIns(system, client, now);
    if (!signIns || signIns === 'unreadable') continue;
    for (const entry of readable.filter((e) => e.client === client)) {
      const signIn = signIns.of(entry.name, entry.url);
      if (signIn) found.set(entry, signIn);
    }
  }
  return found;
}

