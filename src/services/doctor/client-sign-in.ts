import { promises as fs } from 'node:fs';
import type { SystemInfo } from '../deps.js';
import { baseDirs } from '../platform-paths.js';
import { sameServerUrl } from '../url.js';
import type { Check, CheckContext, ConfiguredEntry, ExtensionCheck } from './types.js';
import { check, humanDuration } from './util.js';

/** One record of Claude Code's `mcpOAuth`, as far as the doctor reads it (never a token's value). */
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

/**
 * Whether Claude Code itself is signed in to this server, and for how long: "expired, no
 * refresh token" is the usual reason a server that works here shows "needs authentication" there.
 */
export function claudeCodeSignIn(system: SystemInfo): ExtensionCheck {
  return async (ctx): Promise<Check[]> => {
    const entry = ctx.target.entries?.find((e): e is ConfiguredEntry & { url: string } => e.client === 'claude-code' && e.scope !== 'wrong file' && typeof e.url === 'string');
    const file = claudeCredentialsFile(system);
    if (!entry || !file) return [];
    const records = await readSignIns(file);
    if (records === 'unreadable') return [check('client.claude-sign-in', 'client', 'skip', `Claude Code’s sign-ins (${file}) could not be read.`)];
    const record = records.find((r) => r.serverName === entry.name && typeof r.serverUrl === 'string' && sameServerUrl(r.serverUrl, entry.url));
    const login = { id: 'sign-in' as const, label: 'Sign Claude Code in (it keeps its own tokens).', command: `claude mcp login ${entry.name}` };
    const refreshable = filled(record?.refreshToken);
    if (!record || (!filled(record.accessToken) && !refreshable)) {
      if (!serverWantsSignIn(ctx)) return [];
      return [
        check('client.claude-sign-in', 'client', 'warn', `Claude Code hasn’t signed in to "${entry.name}" yet.`, {
          hint: 'Apps sign in themselves; mcp-setup’s own sign-in doesn’t carry over.',
          fix: login,
        }),
      ];
    }
    const expiresAt = typeof record.expiresAt === 'number' ? record.expiresAt : undefined;
    const left = expiresAt === undefined ? undefined : expiresAt - ctx.deps.now();
    const when = left === undefined ? 'no expiry given' : left > 0 ? `token valid for ${humanDuration(left)}` : `token expired ${humanDuration(-left)} ago`;
    if (refreshable) return [check('client.claude-sign-in', 'client', 'pass', `Claude Code is signed in to "${entry.name}" (${when}; it renews it with its refresh token).`)];
    if (left !== undefined && left <= 0) {
      return [
        check('client.claude-sign-in', 'client', 'warn', `Claude Code’s sign-in to "${entry.name}" expired ${humanDuration(-left)} ago and has no refresh token, so it can’t renew it.`, {
          hint: 'Claude Code shows the server as needing authentication until it signs in again.',
          fix: login,
        }),
      ];
    }
    return [check('client.claude-sign-in', 'client', 'pass', `Claude Code is signed in to "${entry.name}" (${when}; no refresh token, so it will ask again then).`)];
  };
}

/** What the earlier layers saw: a 401/403, or a token (ours) that had to be sent. */
function serverWantsSignIn(ctx: CheckContext): boolean {
  const http = ctx.facts.http;
  return Boolean(http && (http.status === 401 || http.status === 403 || http.sentToken)) || Boolean(ctx.facts.token?.present);
}
