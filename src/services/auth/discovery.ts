import { buildDiscoveryUrls, extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import { OAuthMetadataSchema, OAuthProtectedResourceMetadataSchema } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { AuthorizationServerMetadata, OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { checkResourceAllowed, resourceUrlFromServerUrl } from '@modelcontextprotocol/sdk/shared/auth-utils.js';
import type { FetchFn } from '../deps.js';
import { CancelledError, UserError } from '../errors.js';
import { classifyConnectError } from '../mcp/classify.js';
import { isFetchableEndpoint, safeBrowserUrl } from './safety.js';
import type { StoredDiscovery } from './store.js';
import { requestSignal } from '../signals.js';
import { protectedResourceMetadataUrls } from './challenge.js';

const PROTOCOL_VERSION = '2025-11-25';
const REQUEST_TIMEOUT_MS = 15_000;

export interface DiscoveryOptions {
  fetch: FetchFn;
  useResource: boolean;
  signal?: AbortSignal;
}

export interface Discovered extends StoredDiscovery {
  /** `scope` from the 401 WWW-Authenticate challenge (SEP-835: preferred over scopes_supported). */
  challengeScope?: string;
}

export type AsMetadata = AuthorizationServerMetadata & Record<string, unknown>;

async function guarded<T>(url: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    if (error instanceof UserError) throw error;
    throw classifyConnectError(error, url, undefined, (error as Error)?.name === 'TimeoutError');
  }
}

/** Step 1: an unauthenticated initialize, to read the 401 challenge (2025-06-18+ servers MUST send one). */
async function probe(serverUrl: string, options: DiscoveryOptions) {
  return guarded(serverUrl, options.signal, async () => {
    const response = await options.fetch(serverUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'mcp-setup', version: '0' } },
      }),
      signal: requestSignal(options.signal, REQUEST_TIMEOUT_MS),
      redirect: 'manual',
    });
    const challenge = response.status === 401 || response.status === 403 ? extractWWWAuthenticateParams(response) : {};
    await response.body?.cancel().catch(() => {});
    return { status: response.status, ...challenge };
  });
}

/** GET a JSON metadata document: the parsed body, 'absent' (4xx), or a thrown UserError. */
async function fetchMetadata(url: string, options: DiscoveryOptions): Promise<unknown | 'absent'> {
  return guarded(url, options.signal, async () => {
    const response = await options.fetch(url, {
      headers: { Accept: 'application/json', 'MCP-Protocol-Version': PROTOCOL_VERSION },
      signal: requestSignal(options.signal, REQUEST_TIMEOUT_MS),
      redirect: 'manual',
    });
    if (response.status >= 300 && response.status < 500) {
      await response.body?.cancel().catch(() => {});
      return 'absent';
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new UserError({
        code: 'server-error',
        message: `Sign-in discovery failed: ${new URL(url).host} answered HTTP ${response.status}.`,
        hint: 'This is a problem on the server side.',
        nextSteps: ['Try again in a moment.'],
      });
    }
    try {
      return (await response.json()) as unknown;
    } catch {
      return 'absent';
    }
  });
}

/** RFC 9728 §3.1: insert the well-known segment between host and path (path-aware), then root. */

/** RFC 8414 §3.3 / OIDC Discovery §4.3: the document must name the issuer we asked about. */
export function issuerMatches(expected: string, actual: unknown): boolean {
  if (typeof actual !== 'string') return false;
  if (expected === actual) return true;
  // A pathless issuer is written with or without the trailing slash (`URL.href` adds it).
  const strip = (value: string) => value.replace(/\/$/, '');
  try {
    return new URL(expected).pathname === '/' && new URL(actual).pathname === '/' && strip(expected) === strip(actual);
  } catch {
    return false;
  }
}

function untrusted(message: string, hint?: string): UserError {
  return new UserError({
    code: 'auth-untrusted',
    message,
    hint: hint ?? 'The server’s sign-in configuration may be broken, or something is tampering with it. Nothing was opened or sent.',
    nextSteps: ['Check the server URL, and contact the server operator if it is right.'],
  });
}

/** Validate AS metadata: issuer echo, S256 PKCE, and endpoints that are safe to open or fetch. */
export function validateAsMetadata(expectedIssuer: string, raw: unknown): AsMetadata {
  const parsed = OAuthMetadataSchema.safeParse(raw);
  if (!parsed.success) throw untrusted('The sign-in server’s metadata is malformed.');
  const metadata = parsed.data as AsMetadata;
  if (!issuerMatches(expectedIssuer, metadata.issuer)) {
    throw untrusted('The sign-in server’s metadata names a different issuer than the one it was fetched for.', `Expected issuer ${expectedIssuer}. Refusing to use it (RFC 8414 §3.3).`);
  }
  // MCP 2025-06-18+: refuse when S256 is not advertised, including when the field is absent.
  const methods = metadata.code_challenge_methods_supported;
  if (!Array.isArray(methods) || !methods.includes('S256')) {
    throw new UserError({
      code: 'auth-unsupported',
      message: 'The sign-in server does not support PKCE with S256, which MCP requires.',
      hint: 'Without PKCE, an intercepted sign-in code could be used by someone else.',
      nextSteps: ['Ask the server operator to enable PKCE (S256) on their authorization server.'],
    });
  }
  if (!safeBrowserUrl(metadata.authorization_endpoint)) {
    throw untrusted('The sign-in server’s authorization address is not a safe web address, so it was not opened.');
  }
  if (!isFetchableEndpoint(metadata.token_endpoint)) throw untrusted('The sign-in server’s token address is not an http(s) address.');
  // Optional endpoints that fail the check are dropped rather than used.
  const cleaned: AsMetadata = { ...metadata };
  for (const key of ['registration_endpoint', 'revocation_endpoint', 'device_authorization_endpoint'] as const) {
    if (cleaned[key] !== undefined && !isFetchableEndpoint(cleaned[key])) delete cleaned[key];
  }
  return cleaned;
}

/** RFC 8414 then OIDC, in the order the 2025-11-25 spec gives for path and pathless issuers. */
async function fetchAsMetadata(issuer: string, options: DiscoveryOptions): Promise<AsMetadata | undefined> {
  for (const candidate of buildDiscoveryUrls(issuer)) {
    const body = await fetchMetadata(candidate.url.href, options);
    if (body === 'absent') continue;
    return validateAsMetadata(issuer, body);
  }
  return undefined;
}

/**
 * Discovery as the spec orders it: 401 challenge → protected resource metadata (from the header,
 * else path-aware, else root) → authorization server metadata → legacy 2025-03-26 fallback.
 */
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

function unsettle<T>(settled: Settled<T>): T {
  if (settled.ok) return settled.value;
  throw settled.error;
}

export async function discover(serverUrl: string, options: DiscoveryOptions): Promise<Discovered> {
  // The path-aware PRM URL is where most servers' challenge points anyway: fetch it while the
  // probe is in flight (one round trip less per sign-in); the spec's order is still followed below.
  const wellKnown = protectedResourceMetadataUrls(serverUrl);
  const early = wellKnown[0] !== undefined ? settle(fetchMetadata(wellKnown[0], options)) : undefined;
  const challenge = await probe(serverUrl, options);
  let resourceMetadata: OAuthProtectedResourceMetadata | undefined;
  let resourceMetadataUrl: string | undefined;
  const candidates: string[] = [];
  if (challenge.resourceMetadataUrl && isFetchableEndpoint(challenge.resourceMetadataUrl.href)) candidates.push(challenge.resourceMetadataUrl.href);
  candidates.push(...wellKnown);
  for (const url of candidates) {
    const body = url === wellKnown[0] && early ? unsettle(await early) : await fetchMetadata(url, options);
    if (body === 'absent') continue;
    const parsed = OAuthProtectedResourceMetadataSchema.safeParse(body);
    if (!parsed.success || !parsed.data.authorization_servers?.length) {
      throw untrusted('The server’s protected resource metadata is malformed or names no authorization server.');
    }
    resourceMetadata = parsed.data;
    resourceMetadataUrl = url;
    break;
  }

  if (resourceMetadata) {
    if (!checkResourceAllowed({ requestedResource: resourceUrlFromServerUrl(serverUrl), configuredResource: resourceMetadata.resource })) {
      const advertised = isFetchableEndpoint(resourceMetadata.resource) ? resourceMetadata.resource : undefined;
      throw new UserError({
        code: 'auth-untrusted',
        message: 'The server says its sign-in is for a different address than the one you entered.',
        hint: advertised ? `It advertises ${advertised}. Use exactly that URL (host and path).` : 'Check the server URL.',
        ...(advertised ? { nextSteps: [`Try again with ${advertised}`] } : {}),
      });
    }
    // RFC 9728 §7.6: the choice among several ASes is the client's. The first is the primary
    // one; the next is tried only when one can't be used (down, no metadata, no S256, …).
    const { issuer, metadata } = await firstUsableAuthorizationServer(resourceMetadata.authorization_servers!, options);
    return {
      authorizationServerUrl: issuer,
      resourceMetadataUrl,
      resourceMetadata,
      authorizationServerMetadata: metadata,
      resource: options.useResource ? resourceMetadata.resource : null,
      ...(challenge.scope ? { challengeScope: challenge.scope } : {}),
    };
  }

  if (challenge.status !== 401 && challenge.status !== 403) {
    throw new UserError({
      code: 'auth-unsupported',
      message: 'This server does not ask for sign-in.',
      hint: `It answered HTTP ${challenge.status} without credentials and publishes no protected resource metadata.`,
      nextSteps: ['Add it without signing in, or pass an API key with --header if it needs one.'],
    });
  }
  // 2025-03-26: no PRM; the authorization base URL is the MCP URL with its path removed.
  const origin = new URL('/', serverUrl).href;
  const metadata = await fetchAsMetadata(origin, options);
  if (metadata) {
    return { authorizationServerUrl: origin, authorizationServerMetadata: metadata, resource: null, ...(challenge.scope ? { challengeScope: challenge.scope } : {}) };
  }
  // 2025-03-26 default endpoints (/authorize, /token, /register). That revision made PKCE
  // mandatory for every AS, so S256 is assumed.
  return { authorizationServerUrl: origin, resource: null, legacyDefaults: true, ...(challenge.scope ? { challengeScope: challenge.scope } : {}) };
}

async function firstUsableAuthorizationServer(issuers: string[], options: DiscoveryOptions): Promise<{ issuer: string; metadata: AsMetadata }> {
  let firstError: unknown;
  for (const issuer of issuers) {
    try {
      if (!isFetchableEndpoint(issuer)) throw untrusted('The server names an authorization server that is not an http(s) address.');
      const metadata = await fetchAsMetadata(issuer, options);
      if (metadata) return { issuer, metadata };
      throw new UserError({
        code: 'auth-unsupported',
        message: `The authorization server ${new URL(issuer).host} publishes no OAuth metadata.`,
        hint: 'Neither RFC 8414 nor OpenID Connect discovery documents were found.',
        nextSteps: ['Contact the server operator.'],
      });
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      firstError ??= error;
    }
  }
  throw firstError;
}

/** The endpoints in use, with the 2025-03-26 defaults when there is no metadata. */
export function endpoints(discovery: StoredDiscovery) {
  const base = discovery.authorizationServerUrl;
  const metadata = discovery.authorizationServerMetadata;
  return {
    issuer: typeof metadata?.issuer === 'string' ? metadata.issuer : base,
    authorization: metadata?.authorization_endpoint ?? new URL('/authorize', base).href,
    token: metadata?.token_endpoint ?? new URL('/token', base).href,
    registration: metadata ? (metadata.registration_endpoint as string | undefined) : new URL('/register', base).href,
    revocation: metadata?.revocation_endpoint as string | undefined,
    device: metadata?.device_authorization_endpoint as string | undefined,
    issParameterSupported: metadata?.authorization_response_iss_parameter_supported === true,
    cimdSupported: metadata?.client_id_metadata_document_supported === true,
    scopesSupported: Array.isArray(metadata?.scopes_supported) ? (metadata.scopes_supported as string[]) : undefined,
  };
}
