import type { SystemInfo } from '../deps.js';
import { appCredentialsFile, appSignIns } from '../clients/app-sign-ins.js';
import { getAdapter } from '../clients/registry.js';
import { signInCommand } from '../clients/sign-in-steps.js';
import type { ClientId } from '../clients/types.js';
import type { Check, CheckContext, ConfiguredEntry, ExtensionCheck } from './types.js';
import { check, humanDuration } from './util.js';

/** The check's id for each app whose sign-ins can be read from a file. */
const IDS: Partial<Record<ClientId, string>> = { 'claude-code': 'client.claude-sign-in', codex: 'client.codex-sign-in' };

/**
 * Whether the app itself is signed in to this server, and for how long: "expired, no refresh
 * token" is the usual reason a server that works here shows "needs authentication" there.
 */
export function appSignInCheck(system: SystemInfo, client: 'claude-code' | 'codex'): ExtensionCheck {
  const id = IDS[client]!;
  const app = getAdapter(client).displayName;
  return async (ctx): Promise<Check[]> => {
    const entry = ctx.target.entries?.find((e): e is ConfiguredEntry & { url: string } => e.client === client && e.scope !== 'wrong file' && typeof e.url === 'string');
    if (!entry) return [];
    const signIns = await appSignIns(system, client, ctx.deps.now());
    if (!signIns) return [];
    if (signIns === 'unreadable') return [check(id, 'client', 'skip', `${app}’s sign-ins (${appCredentialsFile(system, client)}) could not be read.`)];
    const signIn = signIns.of(entry.name, entry.url);
    if (!signIn) return [];
    const command = signInCommand(client, entry.name);
    const login = { id: 'sign-in' as const, label: `Sign ${app} in (it keeps its own tokens).`, ...(command ? { command } : {}) };
    if (signIn.state === 'none') {
      if (!serverWantsSignIn(ctx)) return [];
      return [
        check(id, 'client', 'warn', `${app} hasn’t signed in to "${entry.name}" yet.`, {
          hint: 'Apps sign in themselves; mcp-setup’s own sign-in doesn’t carry over.',
          fix: login,
        }),
      ];
    }
    const left = signIn.expiresAt === undefined ? undefined : signIn.expiresAt - ctx.deps.now();
    if (signIn.state === 'expired') {
      return [
        check(id, 'client', 'warn', `${app}’s sign-in to "${entry.name}" expired ${humanDuration(-left!)} ago and has no refresh token, so it can’t renew it.`, {
          hint: `${app} shows the server as needing authentication until it signs in again.`,
          fix: login,
        }),
      ];
    }
    const when = left === undefined ? 'no expiry given' : left > 0 ? `token valid for ${humanDuration(left)}` : `token expired ${humanDuration(-left)} ago`;
    if (signIn.refreshable) return [check(id, 'client', 'pass', `${app} is signed in to "${entry.name}" (${when}; it renews it with its refresh token).`)];
    return [check(id, 'client', 'pass', `${app} is signed in to "${entry.name}" (${when}; no refresh token, so it will ask again then).`)];
  };
}

/** What the earlier layers saw: a 401/403, or a token (ours) that had to be sent. */
function serverWantsSignIn(ctx: CheckContext): boolean {
  const http = ctx.facts.http;
  return Boolean(http && (http.status === 401 || http.status === 403 || http.sentToken)) || Boolean(ctx.facts.token?.present);
}
