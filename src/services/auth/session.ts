import { refreshAuthorization } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationFull, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { InvalidClientError, InvalidGrantError, OAuthError, UnauthorizedClientError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { UserError } from '../errors.js';
import { requireServerUrl } from '../url.js';
import { acquireLock } from './lock.js';
import { safeErrorCode, sanitizeForDisplay } from './safety.js';
import { AuthStateStore, secretAccount, secretStoreOfKind, type IssuerState, type SecretRecord, type SecretStore, type ServerState, type StoredTokenInfo } from './store.js';
import type { AuthDeps } from './types.js';
import { requestSignal } from '../signals.js';

/** Refresh this long before the stored expiry, so a request never carries a token about to lapse. */
export const REFRESH_MARGIN_MS = 60_000;

/** Lower-case scheme and host, no fragment, no trailing slash: the key for everything stored. */
export function canonicalServerUrl(input: string): string {
  return requireServerUrl(input);
}

export function loginCommand(label: string): string {
  return `mcp-setup login ${/^[A-Za-z0-9_.:/@%?=&-]+$/.test(label) ? label : JSON.stringify(label)}`;
}

export function needsAuth(message: string, label: string, hint?: string): UserError {
  return new UserError({
    code: 'needs-auth',
    message,
    ...(hint ? { hint } : {}),
    nextSteps: [`Sign in again: ${loginCommand(label)}`],
  });
}

/** Everything known about one server's active sign-in. */
export interface ActiveAuth {
  serverKey: string;
  issuer: string;
  state: IssuerState;
  secrets: SecretRecord | undefined;
  secretStore: SecretStore;
}

export async function loadActive(serverKey: string, deps: AuthDeps, store = new AuthStateStore(deps.stateDir)): Promise<ActiveAuth | undefined> {
  const found = store.issuer(serverKey);
  if (!found) return undefined;
  const secretStore = await secretStoreOfKind(found.state.secretStore ?? 'file', deps);
  const secrets = await secretStore.get(secretAccount(serverKey, found.issuer)).catch(() => undefined);
  return { serverKey, issuer: found.issuer, state: found.state, secrets, secretStore };
}

/** The SDK's view of our client registration (the secret comes from the secret store). */
export function clientInformationOf(state: IssuerState, secrets: SecretRecord | undefined): OAuthClientInformationFull | undefined {
  const client = state.client;
  if (!client) return undefined;
  return {
    client_id: client.client_id,
    redirect_uris: client.redirect_uris ?? [],
    ...(secrets?.client_secret ? { client_secret: secrets.client_secret } : {}),
    ...(client.token_endpoint_auth_method ? { token_endpoint_auth_method: client.token_endpoint_auth_method } : {}),
    ...(client.grant_types ? { grant_types: client.grant_types } : {}),
    issuer: client.issuer,
  } as OAuthClientInformationFull;
}

/** Persist a token response: secrets to the secret store, `expires_at` and scope to conf. */
export async function saveTokenResponse(
  deps: AuthDeps,
  target: { serverKey: string; issuer: string; secretStore: SecretStore },
  tokens: OAuthTokens,
  method: StoredTokenInfo['method'],
  requestedScope: string | undefined,
  store = new AuthStateStore(deps.stateDir),
  /** More server-level state to record in the same (fsynced) write, e.g. the active issuer. */
  serverUpdate: (server: ServerState) => ServerState = (server) => server,
): Promise<StoredTokenInfo> {
  const account = secretAccount(target.serverKey, target.issuer);
  const previous = (await target.secretStore.get(account).catch(() => undefined)) ?? {};
  const refreshToken = tokens.refresh_token ?? (method === 'refresh' ? previous.refresh_token : undefined);
  await target.secretStore.set(account, {
    ...(previous.client_secret ? { client_secret: previous.client_secret } : {}),
    access_token: tokens.access_token,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    ...(tokens.id_token ? { id_token: tokens.id_token } : {}),
  });
  const now = deps.now();
  const info: StoredTokenInfo = {
    ...(typeof tokens.expires_in === 'number' ? { expiresAt: now + tokens.expires_in * 1000 } : {}),
    ...((tokens.scope ?? requestedScope) ? { scope: tokens.scope ?? requestedScope } : {}),
    tokenType: tokens.token_type ?? 'Bearer',
    hasRefreshToken: Boolean(refreshToken),
    obtainedAt: now,
    method,
  };
  store.updateServer(target.serverKey, (server) =>
    serverUpdate({ ...server, byIssuer: { ...server.byIssuer, [target.issuer]: { ...server.byIssuer[target.issuer]!, tokens: info, secretStore: target.secretStore.kind } } }),
  );
  return info;
}

/** Forget tokens (and optionally the client registration) for one issuer. */
export async function clearCredentials(deps: AuthDeps, active: ActiveAuth, what: 'tokens' | 'all', store = new AuthStateStore(deps.stateDir)): Promise<void> {
  const account = secretAccount(active.serverKey, active.issuer);
  const current = (await active.secretStore.get(account).catch(() => undefined)) ?? {};
  if (what === 'all' || !current.client_secret) await active.secretStore.delete(account);
  else await active.secretStore.set(account, { client_secret: current.client_secret });
  store.updateIssuer(active.serverKey, active.issuer, (state) => {
    const next: IssuerState = { ...state! };
    delete next.tokens;
    if (what === 'all') delete next.client;
    return next;
  });
}

export function isExpiring(info: StoredTokenInfo | undefined, now: number): boolean {
  return info?.expiresAt !== undefined && info.expiresAt - now < REFRESH_MARGIN_MS;
}

export function lockKey(serverKey: string, issuer: string): string {
  return `refresh|${serverKey}|${issuer}`;
}

/**
 * Refresh under the cross-process lock. After taking the lock the store is read again: when
 * another process already rotated the refresh token, its fresh tokens are used and ours is not
 * spent. (A server's 401 before expiry goes through the SDK's own refresh, see provider.ts.)
 */
export async function refreshWithLock(serverKey: string, deps: AuthDeps, label: string): Promise<ActiveAuth> {
  const store = new AuthStateStore(deps.stateDir);
  const first = await loadActive(serverKey, deps, store);
  if (!first) throw needsAuth('You are not signed in to this server.', label);
  const release = await acquireLock(deps.stateDir, lockKey(serverKey, first.issuer), { now: deps.now });
  try {
    const active = await loadActive(serverKey, deps, store);
    if (!active?.state.tokens || !active.secrets?.access_token) throw needsAuth('You are not signed in to this server.', label);
    if (!isExpiring(active.state.tokens, deps.now())) return active;
    if (!active.secrets.refresh_token) throw needsAuth('Your sign-in to this server has expired.', label, 'The server gave no refresh token, so a new sign-in is needed.');
    const clientInformation = clientInformationOf(active.state, active.secrets);
    if (!clientInformation) throw needsAuth('This server’s sign-in registration is missing.', label);
    const discovery = active.state.discovery;
    let tokens: OAuthTokens;
    try {
      tokens = await refreshAuthorization(discovery.authorizationServerUrl, {
        ...(discovery.authorizationServerMetadata ? { metadata: discovery.authorizationServerMetadata } : {}),
        clientInformation,
        refreshToken: active.secrets.refresh_token,
        ...(discovery.resource ? { resource: new URL(discovery.resource) } : {}),
        fetchFn: (input, init) => deps.fetch(input, { ...init, signal: requestSignal(undefined) }),
      });
    } catch (error) {
      if (error instanceof InvalidGrantError) {
        await clearCredentials(deps, active, 'tokens', store);
        throw needsAuth('Your sign-in to this server has expired or was revoked.', label, 'The refresh token was rejected (expired, revoked, or used elsewhere).');
      }
      if (error instanceof InvalidClientError || error instanceof UnauthorizedClientError) {
        await clearCredentials(deps, active, 'all', store);
        throw needsAuth('The sign-in server no longer accepts this app’s registration.', label);
      }
      throw tokenEndpointError(error, discovery.authorizationServerUrl);
    }
    await saveTokenResponse(deps, active, tokens, 'refresh', active.state.tokens.scope, store);
    return (await loadActive(serverKey, deps, store))!;
  } finally {
    await release();
  }
}

/** A token-endpoint failure that is not about the grant: say so without echoing secrets. */
export function tokenEndpointError(error: unknown, asUrl: string): UserError {
  if (error instanceof UserError) return error;
  const host = (() => {
    try {
      return new URL(asUrl).host;
    } catch {
      return 'the sign-in server';
    }
  })();
  if (error instanceof OAuthError) {
    const code = safeErrorCode(error.errorCode);
    return new UserError({
      code: 'auth-failed',
      message: `The sign-in server ${host} refused the request${code ? ` (${code})` : ''}.`,
      ...(error.message ? { hint: sanitizeForDisplay(error.message) } : {}),
      nextSteps: ['Try again; if it keeps failing, sign in again or contact the server operator.'],
    });
  }
  return new UserError({
    code: 'unreachable',
    message: `Couldn't reach the sign-in server ${host}.`,
    hint: sanitizeForDisplay(error),
    nextSteps: ['Check your network connection and try again.'],
  });
}


