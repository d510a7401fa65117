import type { SystemInfo } from '../deps.js';
import { claudeCredentialsFile, claudeSignIns } from '../clients/claude-sign-ins.js';
import type { Check, CheckContext, ConfiguredEntry, ExtensionCheck } from './types.js';
import { check, humanDuration } from './util.js';

/**
 * Whether Claude Code itself is signed in to this server, and for how long: "expired, no
 * refresh token" is the usual reason a server that works here shows "needs authentication" there.
 */
export function claudeCodeSignIn(system: SystemInfo): ExtensionCheck {
  return async (ctx): Promise<Check[]> => {
    const entry = ctx.target.entries?.find((e): e is ConfiguredEntry & { url: string } => e.client === 'claude-code' && e.scope !== 'wrong file' && typeof e.url === 'string');
    if (!entry) return [];
    const signIns = await claudeSignIns(system, ctx.deps.now());
    if (!signIns) return [];
    if (signIns === 'unreadable') return [check('client.claude-sign-in', 'client', 'skip', `Claude Code’s sign-ins (${claudeCredentialsFile(system)}) could not be read.`)];
    const signIn = signIns.of(entry.name, entry.url);
    const login = { id: 'sign-in' as const, label: 'Sign Claude Code in (it keeps its own tokens).', command: `claude mcp login ${entry.name}` };
    if (signIn.state === 'none') {
      if (!serverWantsSignIn(ctx)) return [];
      return [
        check('client.claude-sign-in', 'client', 'warn', `Claude Code hasn’t signed in to "${entry.name}" yet.`, {
          hint: 'Apps sign in themselves; mcp-setup’s own sign-in doesn’t carry over.',
          fix: login,
        }),
      ];
    }
    const left = signIn.expiresAt === undefined ? undefined : signIn.expiresAt - ctx.deps.now();
    if (signIn.state === 'expired') {
      return [
        check('client.claude-sign-in', 'client', 'warn', `Claude Code’s sign-in to "${entry.name}" expired ${humanDuration(-left!)} ago and has no refresh token, so it can’t renew it.`, {
          hint: 'Claude Code shows the server as needing authentication until it signs in again.',
          fix: login,
        }),
      ];
    }
    const when = left === undefined ? 'no expiry given' : left > 0 ? `token valid for ${humanDuration(left)}` : `token expired ${humanDuration(-left)} ago`;
    if (signIn.refreshable) return [check('client.claude-sign-in', 'client', 'pass', `Claude Code is signed in to "${entry.name}" (${when}; it renews it with its refresh token).`)];
    return [check('client.claude-sign-in', 'client', 'pass', `Claude Code is signed in to "${entry.name}" (${when}; no refresh token, so it will ask again then).`)];
  };
}

/** What the earlier layers saw: a 401/403, or a token (ours) that had to be sent. */
function serverWantsSignIn(ctx: CheckContext): boolean {
  const http = ctx.facts.http;
  return Boolean(http && (http.status === 401 || http.status === 403 || http.sentToken)) || Boolean(ctx.facts.token?.present);
}
