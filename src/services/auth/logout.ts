import { endpoints } from './discovery.js';
import { applyClientAuth } from './device.js';
import { canonicalServerUrl, clearCredentials, loadActive } from './session.js';
import { AuthStateStore, secretAccount, secretStoreOfKind } from './store.js';
import type { AuthDeps, LogoutResult, TokenStatus } from './types.js';
import { requestSignal } from '../signals.js';
import { hasAuthState } from './state-file.js';

/**
 * Revoke (RFC 7009, when the AS advertises `revocation_endpoint`) and delete the local tokens
 * for every issuer this server was signed in with. The client registration is kept. Revocation
 * failures are not errors: the local tokens are deleted either way.
 */
export async function logout(serverUrl: string, deps: AuthDeps, options: { signal?: AbortSignal } = {}): Promise<LogoutResult> {
  const serverKey = canonicalServerUrl(serverUrl);
  if (!(await hasAuthState(deps.stateDir))) return { revoked: false, removed: false };
  const store = new AuthStateStore(deps.stateDir);
  const server = store.server(serverKey);
  let revoked = false;
  let removed = false;
  for (const [issuer, state] of Object.entries(server?.byIssuer ?? {})) {
    const secretStore = await secretStoreOfKind(state.secretStore ?? 'file', deps);
    const secrets = await secretStore.get(secretAccount(serverKey, issuer)).catch(() => undefined);
    if (!state.tokens && !secrets?.access_token && !secrets?.refresh_token) continue;
    removed = true;
    const endpoint = endpoints(state.discovery).revocation;
    // Revoking the refresh token ends the grant; the access token alone when there is none.
    const token = secrets?.refresh_token ?? secrets?.access_token;
    if (endpoint && token && state.client) {
      const params = new URLSearchParams({ token, token_type_hint: secrets?.refresh_token ? 'refresh_token' : 'access_token' });
      const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
      applyClientAuth(
        { clientId: state.client.client_id, ...(secrets?.client_secret ? { clientSecret: secrets.client_secret } : {}), ...(state.client.token_endpoint_auth_method ? { method: state.client.token_endpoint_auth_method } : {}) },
        params,
        headers,
      );
      try {
        const signal = requestSignal(options.signal, 10_000);
        const response = await deps.fetch(endpoint, { method: 'POST', headers, body: params, signal, redirect: 'manual' });
        await response.body?.cancel().catch(() => {});
        if (response.ok) revoked = true;
      } catch {
        // Offline or refused: still delete locally.
      }
    }
    const active = await loadActive(serverKey, deps, store);
    await clearCredentials(deps, active && active.issuer === issuer ? active : { serverKey, issuer, state, secrets, secretStore }, 'tokens', store);
  }
  return { revoked, removed };
}

/** What is stored for a server, without any secret. */
export async function tokenStatus(serverUrl: string, deps: AuthDeps): Promise<TokenStatus> {
  const serverKey = canonicalServerUrl(serverUrl);
  if (!(await hasAuthState(deps.stateDir))) return { present: false, hasRefreshToken: false };
  const active = await loadActive(serverKey, deps);
  const info = active?.state.tokens;
  if (!active || !info) return { present: false, hasRefreshToken: false, ...(active ? { issuer: active.issuer } : {}) };
  return {
    present: Boolean(active.secrets?.access_token),
    ...(info.expiresAt !== undefined ? { expiresAt: info.expiresAt } : {}),
    hasRefreshToken: Boolean(active.secrets?.refresh_token),
    issuer: active.issuer,
    ...(info.scope ? { scopes: info.scope.split(/\s+/).filter(Boolean) } : {}),
    ...(active.state.secretStore ? { storage: active.state.secretStore } : {}),
  };
}
