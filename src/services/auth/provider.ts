import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import { acquireLock, type Release } from './lock.js';
import { clientMetadataFor } from './registration.js';
import {
  canonicalServerUrl,
  clearCredentials,
  clientInformationOf,
  isExpiring,
  loadActive,
  lockKey,
  type ActiveAuth,
  needsAuth,
  refreshWithLock,
  saveTokenResponse,
} from './session.js';
import { AuthStateStore, FileSecretStore, secretAccount } from './store.js';
import { AUTH_STATE_FILE, hasAuthState } from './state-file.js';
import { UserError } from '../errors.js';
import type { AuthDeps } from './types.js';

export interface AuthProviderOptions {
  /** The server's name in mcp-setup, used in "mcp-setup login <name>" hints. */
  name?: string;
}

/**
 * An SDK `OAuthClientProvider` over the stored sign-in, for verify, doctor and the stdio bridge.
 * It never starts an interactive sign-in: where the SDK would open a browser it throws a
 * `needs-auth` UserError naming `mcp-setup login <name|url>`.
 *
 * Refresh happens in two places, both under the cross-process lock:
 * - `tokens()` refreshes before the stored `expires_at` (the SDK only reacts to a 401);
 * - when the server still answers 401, the SDK calls `auth()`. `redirectUrl` is undefined, so
 *   the SDK takes its non-interactive path and asks `prepareTokenRequest()` for the grant; the
 *   lock is taken there and released in `saveTokens()` / `invalidateCredentials()` (the only
 *   two ways that request ends inside the SDK) or, failing both, by a timer.
 */
export async function getAuthProvider(serverUrl: string, deps: AuthDeps, options: AuthProviderOptions = {}): Promise<OAuthClientProvider> {
  const serverKey = canonicalServerUrl(serverUrl);
  const label = options.name ?? serverKey;
  const store = new AuthStateStore(deps.stateDir);
  const initial = await loadActive(serverKey, deps, store);
  if (!initial?.state.client) throw needsAuth('You are not signed in to this server.', label);
  let held: { release: Release; timer: NodeJS.Timeout } | undefined;

  const releaseHeld = async () => {
    const current = held;
    held = undefined;
    if (current) {
      clearTimeout(current.timer);
      await current.release();
    }
  };

  // The SDK asks for tokens before every request (the bridge: every message), and a keychain
  // read is an IPC call. Read again only when a file changed: the state file (every sign-in,
  // refresh and sign-out, by any process, rewrites it after the secret) and, for the file
  // store, the secret's own file.
  const statePath = path.join(deps.stateDir, AUTH_STATE_FILE);
  const stampOf = (file: string) =>
    stat(file, { bigint: true }).then(
      (s) => `${s.ino}:${s.size}:${s.mtimeNs}`,
      () => 'missing',
    );
  const stampFor = async (found: ActiveAuth | undefined) => {
    const secretFile = found?.secretStore instanceof FileSecretStore ? found.secretStore.fileFor(secretAccount(serverKey, found.issuer)) : undefined;
    const [state, secret] = await Promise.all([stampOf(statePath), secretFile ? stampOf(secretFile) : '']);
    return `${state}|${secret}`;
  };
  // (A write landing between the read and the stamp leaves a stale token cached until the next
  // change; the server's 401 then takes the refresh path, which reads fresh under the lock.)
  let cache: { stamp: string; found: ActiveAuth | undefined } | undefined;
  const current = async (): Promise<ActiveAuth | undefined> => {
    if (cache && cache.stamp === (await stampFor(cache.found))) return cache.found;
    const found = await loadActive(serverKey, deps, store);
    cache = { stamp: await stampFor(found), found };
    return found;
  };

  const active = async () => {
    const found = await current();
    if (!found?.state.client) throw needsAuth('You are not signed in to this server.', label);
    return found;
  };

  const provider: OAuthClientProvider = {
    get redirectUrl() {
      return undefined;
    },
    get clientMetadata(): OAuthClientMetadata {
      return clientMetadataFor('http://127.0.0.1/callback', { device: false });
    },
    async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
      const found = await active();
      return clientInformationOf(found.state, found.secrets);
    },
    async tokens(): Promise<OAuthTokens | undefined> {
      let found = await current();
      if (!found?.state.tokens || !found.secrets?.access_token) return undefined;
      if (isExpiring(found.state.tokens, deps.now()) && found.secrets.refresh_token && !held) {
        try {
          found = await refreshWithLock(serverKey, deps, label);
        } catch (error) {
          // Go without a token: the server's 401 then runs the SDK's auth(), which ends in our
          // needs-auth error with the response recorded (so callers classify it as sign-in).
          if (error instanceof UserError && error.code === 'needs-auth') return undefined;
          throw error;
        }
      }
      const info = found.state.tokens!;
      return {
        access_token: found.secrets!.access_token!,
        token_type: info.tokenType,
        ...(info.scope ? { scope: info.scope } : {}),
        // The SDK skips values stamped for another AS; ours are stamped with the URL discovery used.
        issuer: found.state.discovery.authorizationServerUrl,
      } as OAuthTokens;
    },
    async saveTokens(tokens: OAuthTokens): Promise<void> {
      try {
        const found = await active();
        await saveTokenResponse(deps, found, tokens, 'refresh', found.state.tokens?.scope, store);
      } finally {
        await releaseHeld();
      }
    },
    async prepareTokenRequest(): Promise<URLSearchParams> {
      const first = await active();
      await releaseHeld();
      const release = await acquireLock(deps.stateDir, lockKey(serverKey, first.issuer), { now: deps.now });
      const timer = setTimeout(() => void releaseHeld(), 30_000);
      timer.unref?.();
      held = { release, timer };
      try {
        // Read again under the lock, past the cache: another process may have rotated the refresh token.
        const found = await loadActive(serverKey, deps, store);
        if (!found?.state.client) throw needsAuth('You are not signed in to this server.', label);
        const refreshToken = found.secrets?.refresh_token;
        if (!refreshToken) throw needsAuth('Your sign-in to this server has expired.', label);
        return new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
      } catch (error) {
        await releaseHeld();
        throw error;
      }
    },
    async invalidateCredentials(scope): Promise<void> {
      try {
        const found = await loadActive(serverKey, deps, store);
        if (!found) return;
        if (scope === 'all' || scope === 'client') await clearCredentials(deps, found, 'all', store);
        else if (scope === 'tokens') await clearCredentials(deps, found, 'tokens', store);
      } finally {
        await releaseHeld();
      }
      if (scope === 'tokens') throw needsAuth('Your sign-in to this server has expired or was revoked.', label, 'The refresh token was rejected (expired, revoked, or used elsewhere).');
      if (scope === 'all' || scope === 'client') throw needsAuth('The sign-in server no longer accepts this app’s registration.', label);
    },
    async redirectToAuthorization(): Promise<void> {
      throw needsAuth('This server needs you to sign in again.', label);
    },
    saveCodeVerifier(): void {
      // Interactive sign-in happens only in `login`, never through this provider.
    },
    codeVerifier(): string {
      throw needsAuth('This server needs you to sign in again.', label);
    },
    async discoveryState(): Promise<OAuthDiscoveryState | undefined> {
      const found = await active();
      const discovery = found.state.discovery;
      return {
        authorizationServerUrl: discovery.authorizationServerUrl,
        ...(discovery.resourceMetadataUrl ? { resourceMetadataUrl: discovery.resourceMetadataUrl } : {}),
        ...(discovery.resourceMetadata ? { resourceMetadata: discovery.resourceMetadata } : {}),
        ...(discovery.authorizationServerMetadata ? { authorizationServerMetadata: discovery.authorizationServerMetadata } : {}),
      };
    },
    saveDiscoveryState(): void {
      // Discovery is validated and stored by `login`; the SDK's unvalidated results are not kept.
    },
  };
  // Only to omit `resource` (--no-resource): otherwise the SDK sends the PRM's value verbatim,
  // which an override returning a URL would re-serialise (typescript-sdk#1968).
  if (initial.state.discovery.resource === null && initial.state.discovery.resourceMetadata) {
    provider.validateResourceURL = async () => undefined;
  }
  return provider;
}

/**
 * A usable access token for a stored sign-in (refreshed under the lock when it is about to
 * expire), or undefined when there is none. Throws the `needs-auth` UserError when the refresh
 * is refused, so callers (doctor) can say why. Never opens a browser.
 */
export async function accessToken(serverUrl: string, deps: AuthDeps, options: AuthProviderOptions = {}): Promise<string | undefined> {
  const serverKey = canonicalServerUrl(serverUrl);
  if (!(await hasAuthState(deps.stateDir))) return undefined;
  let found = await loadActive(serverKey, deps);
  if (!found?.state.tokens || !found.secrets?.access_token) return undefined;
  if (isExpiring(found.state.tokens, deps.now())) {
    if (!found.secrets.refresh_token) throw needsAuth('Your sign-in to this server has expired.', options.name ?? serverKey);
    found = await refreshWithLock(serverKey, deps, options.name ?? serverKey);
  }
  return found.secrets?.access_token;
}
