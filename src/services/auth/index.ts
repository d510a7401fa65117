/**
 * Sign-in to remote MCP servers (OAuth 2.1 as the MCP authorization spec profiles it), on SDK v1.
 *
 * API for the front ends (deps: `AuthDeps` = `Deps` + optional `authConfig`, see types.ts):
 *
 *   startLogin(request, deps, events) → { result: Promise<LoginResult>, submitPaste(text) }
 *   login(request, deps, events)      → Promise<LoginResult>          (no paste input)
 *     request: { serverUrl, clientId?, clientSecret?, callbackPort?, callbackHost?, useResource?,
 *                scopes?, headless, grant?: 'auto'|'browser'|'device', signal?, timeoutMs? }
 *     events:  onAuthUrl(url, {browserOpened, headless, redirectUri, sshTunnel?})
 *              onDeviceCode({userCode, verificationUri, verificationUriComplete?, expiresAt})
 *              onStatus(text)
 *     result:  { serverUrl, issuer, scopes, expiresAt?, tokenStorage: 'keychain'|'file',
 *                method: 'loopback'|'paste'|'device', warning? }
 *     submitPaste(text) → {ok: true, warning?} | {ok: false, message}; refused pastes leave the
 *     loopback listener waiting. Show `url` always (the browser may not have opened, and
 *     `browserOpened` is only a best guess); over SSH show `sshTunnel`.
 *   getAuthProvider(serverUrl, deps, {name?}) → SDK OAuthClientProvider for verifyServer/doctor/
 *     the bridge. Uses stored tokens, refreshes under a cross-process lock, never opens a browser;
 *     throws UserError 'needs-auth' ("mcp-setup login <name|url>") when a new sign-in is needed.
 *   accessToken(serverUrl, deps, {name?}) → fresh access token | undefined (for doctor's AuthFeed);
 *     refreshes under the lock; throws 'needs-auth' when the refresh is refused.
 *   tokenStatus(serverUrl, deps) → { present, expiresAt?, hasRefreshToken, issuer?, scopes?, storage? }
 *   logout(serverUrl, deps) → { revoked, removed }
 *   detectHeadless(system) → { headless, reason?, ssh? };  sshTunnelHint(system, port)
 *   parseChallenge(wwwAuthenticate) → { error?, scope?, resourceMetadata? }: on a 403
 *     insufficient_scope, call login with `scopes` from it (the union with earlier scopes is taken).
 *
 * Errors are UserError (codes needs-auth, auth-failed, auth-unsupported, auth-untrusted,
 * timeout, unreachable, invalid-url; exit 3 for the auth ones) or CancelledError (signal).
 * Nothing here prints, prompts or reads process.*; no message carries a token or secret, and on
 * a state/iss mismatch nothing the authorization server sent is shown.
 *
 * The composition root sets authConfig.tokenStore from MCP_SETUP_TOKEN_STORE ('file' forces
 * the 0600 file store) and authConfig.softwareVersion.
 */
export { login, startLogin } from './login.js';
export { accessToken, getAuthProvider, type AuthProviderOptions } from './provider.js';
export { logout, tokenStatus } from './logout.js';
export { detectHeadless, sshTunnelHint, type HeadlessInfo, type HeadlessReason } from './headless.js';
export { parsePastedCallback } from './paste.js';
export { safeBrowserUrl } from './safety.js';
export { stablePortFor } from './loopback.js';
export { canonicalServerUrl } from './session.js';
export type * from './types.js';

/** Parse a `WWW-Authenticate: Bearer …` header (RFC 6750 §3) for step-up and diagnostics. */
export { parseChallenge } from './challenge.js';
