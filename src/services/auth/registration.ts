import { isHttpsUrl, registerClient } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { OAuthError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { CancelledError, UserError } from '../errors.js';
import { endpoints } from './discovery.js';
import { safeErrorCode, sanitizeForDisplay } from './safety.js';
import { loginCommand } from './session.js';
import type { StoredClient, StoredDiscovery } from './store.js';
import type { AuthDeps } from './types.js';
import { requestSignal } from '../signals.js';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** What we register (RFC 7591). SDK v1's type lacks `application_type`, so it is added here. */
export function clientMetadataFor(redirectUri: string, options: { device: boolean; scope?: string; softwareVersion?: string }): OAuthClientMetadata {
  return {
    client_name: 'mcp-setup',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token', ...(options.device ? [DEVICE_GRANT] : [])],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    // MCP 2026-07-28 (SEP-837): OIDC ASes default to `web`, which refuses loopback redirects
    // or demands exact ports.
    application_type: 'native',
    software_id: '6f1c7a52-2f4e-4c55-9a58-0b4c2d3e7a11',
    ...(options.softwareVersion ? { software_version: options.softwareVersion } : {}),
    ...(options.scope ? { scope: options.scope } : {}),
  } as OAuthClientMetadata;
}

export interface ResolvedClient {
  client: StoredClient;
  /** Set only when a new secret arrived (pre-registered or DCR-issued). */
  newSecret?: string;
  registered: boolean;
}

/** Port in a stored registration's loopback redirect, so the next sign-in reuses it. */
export function registeredCallback(client: StoredClient | undefined): { host: '127.0.0.1' | 'localhost'; port: number } | undefined {
  const uri = client?.redirect_uris?.[0];
  if (!uri) return undefined;
  try {
    const url = new URL(uri);
    if (url.protocol !== 'http:' || (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') || !url.port) return undefined;
    return { host: url.hostname, port: Number(url.port) };
  } catch {
    return undefined;
  }
}

/**
 * Registration priority (2025-11-25 §client registration): pre-registered → CIMD (when the AS
 * advertises it and we have a document URL) → DCR. A stored DCR registration is reused only
 * while its redirect URI (and, for the device grant, its grant types) still fit.
 */
export async function resolveClient(
  deps: AuthDeps,
  input: {
    serverLabel: string;
    discovery: StoredDiscovery;
    stored: StoredClient | undefined;
    clientId?: string;
    clientSecret?: string;
    redirectUri: string;
    device: boolean;
    scope?: string;
    signal?: AbortSignal;
  },
): Promise<ResolvedClient> {
  const ep = endpoints(input.discovery);
  const stamp = input.discovery.authorizationServerUrl;
  const now = deps.now();
  if (input.clientId) {
    return {
      client: {
        client_id: input.clientId,
        kind: 'preregistered',
        redirect_uris: [input.redirectUri],
        issuer: stamp,
        hasSecret: Boolean(input.clientSecret),
        ...(input.clientSecret ? {} : { token_endpoint_auth_method: 'none' }),
        registeredAt: now,
      },
      ...(input.clientSecret ? { newSecret: input.clientSecret } : {}),
      registered: false,
    };
  }
  const stored = input.stored;
  if (stored?.kind === 'preregistered') return { client: stored, registered: false };
  const cimdUrl = deps.authConfig?.clientMetadataUrl;
  if (stored?.kind === 'cimd' && stored.client_id === cimdUrl && ep.cimdSupported) return { client: stored, registered: false };
  if (stored?.kind === 'dcr') {
    const redirectOk = stored.redirect_uris?.includes(input.redirectUri) ?? false;
    const grantOk = !input.device || (stored.grant_types?.includes(DEVICE_GRANT) ?? false);
    // Step-up: a client registered with a narrower `scope` cannot ask for more at some ASes.
    const registered = stored.scope?.split(' ');
    const scopeOk = !registered || !input.scope || input.scope.split(' ').every((s) => registered.includes(s));
    if (redirectOk && grantOk && scopeOk) return { client: stored, registered: false };
  }
  if (ep.cimdSupported && cimdUrl && isHttpsUrl(cimdUrl)) {
    return { client: { client_id: cimdUrl, kind: 'cimd', issuer: stamp, hasSecret: false, token_endpoint_auth_method: 'none', registeredAt: now }, registered: false };
  }
  if (!ep.registration) {
    throw new UserError({
      code: 'auth-unsupported',
      message: 'This sign-in server does not let apps register themselves (no dynamic client registration).',
      hint: `Register an OAuth app with the provider yourself, with the redirect URI ${input.redirectUri}, then pass its client ID.`,
      nextSteps: [`${loginCommand(input.serverLabel)} --client-id <id> [--client-secret <secret>] --callback-port ${new URL(input.redirectUri).port}`],
    });
  }
  const metadata = clientMetadataFor(input.redirectUri, {
    device: input.device,
    ...(input.scope ? { scope: input.scope } : {}),
    ...(deps.authConfig?.softwareVersion ? { softwareVersion: deps.authConfig.softwareVersion } : {}),
  });
  try {
    const full = await registerClient(input.discovery.authorizationServerUrl, {
      ...(input.discovery.authorizationServerMetadata ? { metadata: input.discovery.authorizationServerMetadata } : {}),
      clientMetadata: metadata,
      ...(input.scope ? { scope: input.scope } : {}),
      fetchFn: (url, init) => deps.fetch(url, { ...init, signal: requestSignal(input.signal) }),
    });
    return {
      client: {
        client_id: full.client_id,
        kind: 'dcr',
        redirect_uris: full.redirect_uris?.length ? full.redirect_uris.map(String) : [input.redirectUri],
        grant_types: full.grant_types ?? metadata.grant_types ?? [],
        token_endpoint_auth_method: full.token_endpoint_auth_method ?? 'none',
        ...((full.scope ?? input.scope) ? { scope: full.scope ?? input.scope } : {}),
        issuer: stamp,
        hasSecret: Boolean(full.client_secret),
        registeredAt: now,
      },
      ...(full.client_secret ? { newSecret: full.client_secret } : {}),
      registered: true,
    };
  } catch (error) {
    if (input.signal?.aborted) throw new CancelledError();
    const code = error instanceof OAuthError ? safeErrorCode(error.errorCode) : undefined;
    throw new UserError({
      code: 'auth-failed',
      message: `The sign-in server refused to register mcp-setup${code ? ` (${code})` : ''}.`,
      hint: sanitizeForDisplay(error instanceof OAuthError ? error.message || code : error),
      nextSteps:
        code === 'invalid_redirect_uri' || code === 'invalid_client_metadata'
          ? [`Try the other loopback form: ${loginCommand(input.serverLabel)} --callback-host ${new URL(input.redirectUri).hostname === 'localhost' ? '127.0.0.1' : 'localhost'}`]
          : ['Try again, or pass a pre-registered --client-id.'],
      cause: error,
    });
  }
}
