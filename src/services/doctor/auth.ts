import type { Step } from './step.js';
import type { Check, CheckContext, Fix } from './types.js';
import { check, humanDuration, label, stepSignal } from './util.js';
import { hostOf } from '../url.js';
import { parseWwwAuthenticate, protectedResourceMetadataUrls } from '../auth/challenge.js';

function signIn(ctx: CheckContext, label_: string): Fix {
  return { id: 'sign-in', label: label_, command: `mcp-setup login ${label(ctx)}` };
}


async function findResourceMetadata(ctx: CheckContext, advertised: string | undefined): Promise<{ url: string; servers: string[] } | undefined> {
  const urls = advertised ? [advertised] : protectedResourceMetadataUrls(ctx.facts.http?.finalUrl ?? ctx.target.url);
  for (const url of urls) {
    if (ctx.remainingMs() < 500) break;
    const { signal } = stepSignal(ctx, 3000);
    try {
      const response = await ctx.deps.fetch(url, { headers: { Accept: 'application/json' }, signal });
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        continue;
      }
      const body = (await response.json()) as { authorization_servers?: unknown };
      const servers = Array.isArray(body.authorization_servers) ? body.authorization_servers.filter((s): s is string => typeof s === 'string') : [];
      return { url, servers };
    } catch {
      // Missing or not JSON: try the next location.
    }
  }
  return undefined;
}

function tokenCheck(ctx: CheckContext): Check | undefined {
  if (ctx.facts.tokenError) {
    return check('auth.token', 'auth', 'fail', `Our stored sign-in could not be used: ${ctx.facts.tokenError}`, {
      hint: 'The refresh token was revoked or expired, or the sign-in server refused it.',
      fix: signIn(ctx, 'Sign in again.'),
    });
  }
  const status = ctx.facts.token;
  if (status === undefined) return undefined;
  if (!status?.present) return check('auth.token', 'auth', 'skip', 'mcp-setup has no token stored for this server.');
  const now = ctx.deps.now();
  const refresh = status.hasRefreshToken ? 'a refresh token is stored' : 'no refresh token';
  if (status.expiresAt === undefined) return check('auth.token', 'auth', 'pass', `A token is stored (no expiry given; ${refresh}).`);
  if (status.expiresAt > now) return check('auth.token', 'auth', 'pass', `A token is stored; it expires in ${humanDuration(status.expiresAt - now)} (${refresh}).`);
  if (status.hasRefreshToken) {
    return check('auth.token', 'auth', 'warn', `The stored token expired ${humanDuration(now - status.expiresAt)} ago; it is refreshed on next use.`);
  }
  return check('auth.token', 'auth', 'warn', `The stored token expired ${humanDuration(now - status.expiresAt)} ago and there is no refresh token.`, {
    hint: 'The server did not issue a refresh token, so every expiry needs a new sign-in.',
    fix: signIn(ctx, 'Sign in again.'),
  });
}

export function authSteps(): Step[] {
  return [
    {
      id: 'auth.token',
      layer: 'auth',
      async run(ctx) {
        const result = tokenCheck(ctx);
        return result ? [result] : [];
      },
    },
    {
      id: 'auth.challenge',
      layer: 'auth',
      async run(ctx) {
        const http = ctx.facts.http;
        if (!http) return [];
        const challenge = parseWwwAuthenticate(http.wwwAuthenticate);
        if (http.status !== 401 && http.status !== 403) {
          return [check('auth.challenge', 'auth', 'pass', http.sentToken ? 'The server accepted our token.' : ctx.target.headers ? 'No sign-in challenge with the configured headers.' : 'The server does not ask for sign-in.')];
        }
        if (http.status === 403) {
          const scope = challenge?.params.scope;
          if (challenge?.params.error === 'insufficient_scope' || scope) {
            return [
              check('auth.challenge', 'auth', 'fail', `The server wants more permissions${scope ? ` (scope: ${scope})` : ''} than the current sign-in grants (403 insufficient_scope).`, {
                hint: 'The sign-in asked for fewer scopes than this server needs (scope step-up).',
                fix: signIn(ctx, 'Sign in again and approve the requested permissions.'),
              }),
            ];
          }
          return [
            check('auth.challenge', 'auth', 'fail', 'The server refused access (403 Forbidden).', {
              hint: http.sentToken || ctx.target.headers
                ? 'The credentials are valid but this account has no access to this server or workspace; a firewall or IP allow-list can also answer 403.'
                : 'It refuses anonymous requests: it needs an API key or sign-in, or blocks this network (IP allow-list, WAF).',
              fix: { id: 'check-access', label: 'Check the account, workspace and API key have access to this server.' },
            }),
          ];
        }
        if (http.sentToken) {
          const token = ctx.facts.token;
          const expired = token?.expiresAt !== undefined && token.expiresAt <= ctx.deps.now();
          return [
            check('auth.challenge', 'auth', 'fail', `The server rejected our stored token (401)${expired ? `; it expired ${humanDuration(ctx.deps.now() - token!.expiresAt!)} ago` : ''}.`, {
              hint: expired ? (token?.hasRefreshToken ? 'Refreshing it did not work.' : 'There is no refresh token to renew it.') : 'The token was revoked, or it was issued for a different server (audience/resource mismatch).',
              fix: signIn(ctx, 'Sign in again.'),
            }),
          ];
        }
        const helper = ctx.target.headersFrom?.helper;
        if (helper) {
          return [
            check('auth.challenge', 'auth', 'fail', `The server needs credentials (401); ${ctx.target.headersFrom!.app} makes them with its ${helper} command, which mcp-setup doesn't run.`, {
              hint: `If that command works where ${ctx.target.headersFrom!.app} runs, the app may well work.`,
              fix: { id: 'add-header', label: 'Run the helper yourself and pass what it prints: mcp-setup doctor … --header "Name: value"' },
            }),
          ];
        }
        const missing = ctx.target.missingEnv ?? [];
        if (missing.length && ctx.target.headersFrom) {
          // The app's key was never sent: say that, not "needs sign-in".
          const vars = missing.map((v) => `$${v}`).join(', ');
          return [
            check('auth.challenge', 'auth', 'fail', `The server needs credentials (401); ${ctx.target.headersFrom.app} sends them from ${vars}, which isn't set in this shell, so they weren't sent.`, {
              hint: `If ${vars} is set where ${ctx.target.headersFrom.app} starts, the app may well work; set it here too to check.`,
              fix: { id: 'set-env', label: `export ${missing[0]}=<your key>, then run the doctor again.` },
            }),
          ];
        }
        const hasHeader = Object.keys(ctx.target.headers ?? {}).some((k) => /authorization|api[-_]?key|token/i.test(k));
        const metadata = await findResourceMetadata(ctx, challenge?.params.resource_metadata);
        if (metadata) {
          const servers = metadata.servers.length ? ` at ${metadata.servers.map((s) => hostOf(s)).join(', ')}` : '';
          return [
            check('auth.challenge', 'auth', 'fail', `The server needs sign-in (401) and supports OAuth${servers}.`, {
              hint: hasHeader
                ? 'The configured header is not accepted: this server expects an OAuth sign-in, not an API key.'
                : ctx.facts.token?.present
                  ? 'Our stored token was not sent or not usable.'
                  : 'No one has signed in from this machine yet (apps keep their own tokens).',
              fix: signIn(ctx, 'Sign in (opens the browser; works over SSH with a pasted URL or a device code).'),
            }),
          ];
        }
        const advertised = challenge?.params.resource_metadata;
        if (advertised) {
          return [
            check('auth.challenge', 'auth', 'fail', `The server needs sign-in (401) and points at OAuth metadata (${advertised}) that cannot be fetched.`, {
              hint: 'Its OAuth setup is broken or blocked from this network, so apps cannot start a sign-in.',
              fix: { id: 'contact-operator', label: 'Send the support bundle to the server operator; an API key header may work meanwhile.' },
            }),
          ];
        }
        const scheme = challenge?.scheme;
        return [
          check('auth.challenge', 'auth', 'fail', `The server needs credentials (401${scheme ? `, ${challenge!.scheme} scheme` : ''}) but publishes no OAuth metadata.`, {
            hint: hasHeader
              ? 'The configured key or token was rejected: it is wrong, expired or for another workspace.'
              : 'It most likely takes an API key or token in a header rather than a browser sign-in.',
            fix: {
              id: 'add-header',
              label: hasHeader ? 'Replace the key in the header with a valid one.' : 'Add the API key from the server’s settings page as a header.',
              command: ctx.target.name
                ? `mcp-setup update ${label(ctx)} --header "Authorization: Bearer <your-key>"`
                : `mcp-setup add --url ${label(ctx)} --header "Authorization: Bearer <your-key>"`,
            },
          }),
        ];
      },
    },
  ];
}

