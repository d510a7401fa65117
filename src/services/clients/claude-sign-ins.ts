import { promises as fs } from 'node:fs';
import type { SystemInfo } from '../deps.js';
import { baseDirs } from '../platform-paths.js';
import { sameServerUrl } from '../url.js';

/** One record of Claude Code's `mcpOAuth`, as far as mcp-setup reads it (never a token's value). */
interface ClaudeSignIn {
  serverName?: unknown;
  serverUrl?: unknown;
  accessToken?: unknown;
  refreshToken?: unknown;
  expiresAt?: unknown;
}

/**
 * Claude Code's own sign-ins (apps keep their own: mcp-setup's tokens don't carry over) live in
 * `<CLAUDE_CONFIG_DIR or ~/.claude>/.credentials.json` under `mcpOAuth` on Linux and Windows, and
 * in the keychain on macOS (not read). One record per server, keyed "name|hash": serverName,
 * serverUrl, accessToken, refreshToken, expiresAt (ms), scope, as a real `claude mcp login`
 * (2.1.330) writes them.
 */
export function claudeCredentialsFile(system: SystemInfo): string | undefined {
  if (system.platform === 'darwin') return undefined;
  const dirs = baseDirs(system);
  return dirs.join(system.env.CLAUDE_CONFIG_DIR || dirs.join(system.home, '.claude'), '.credentials.json');
}

async function readSignIns(file: string): Promise<ClaudeSignIn[] | 'unreadable'> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? [] : 'unreadable';
  }
  try {
    const records = (JSON.parse(text) as { mcpOAuth?: unknown }).mcpOAuth;
    return records && typeof records === 'object' ? (Object.values(records) as ClaudeSignIn[]) : [];
  } catch {
    return 'unreadable';
  }
}

const filled = (value: unknown): boolean => typeof value === 'string' && value !== '';

/** Claude Code's own sign-in to one server, as far as can be told without showing a token. */
export type AppSignIn =
  | { state: 'none' }
  | { state: 'signed-in' | 'expired'; expiresAt?: number; refreshable: boolean };

/** Read Claude Code's sign-ins once; `of(name, url)` then answers per server (undefined: can't tell here). */
export async function claudeSignIns(system: SystemInfo, now: number): Promise<{ file: string; of(name: string, url: string): AppSignIn } | 'unreadable' | undefined> {
  const file = claudeCredentialsFile(system);
  if (!file) return undefined;
  const records = await readSignIns(file);
  if (records === 'unreadable') return 'unreadable';
  return {
    file,
    of(name, url) {
      const record = records.find((r) => r.serverName === name && typeof r.serverUrl === 'string' && sameServerUrl(r.serverUrl, url));
      const refreshable = filled(record?.refreshToken);
      if (!record || (!filled(record.accessToken) && !refreshable)) return { state: 'none' };
      const expiresAt = typeof record.expiresAt === 'number' ? record.expiresAt : undefined;
      const expired = expiresAt !== undefined && expiresAt <= now;
      return { state: expired && !refreshable ? 'expired' : 'signed-in', ...(expiresAt !== undefined ? { expiresAt } : {}), refreshable };
    },
  };
}
