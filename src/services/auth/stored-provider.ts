import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { hasAuthState } from './state-file.js';
import type { AuthDeps } from './types.js';

/**
 * The stored sign-in for a server as an SDK auth provider, or undefined when there is none: the
 * one question verify, list, doctor's MCP layer and the bridge ask before connecting. The auth
 * code (and conf) load only when a sign-in was ever stored.
 */
export async function storedAuthProvider(serverUrl: string, deps: AuthDeps, options: { name?: string } = {}): Promise<OAuthClientProvider | undefined> {
  if (!(await hasAuthState(deps.stateDir))) return undefined;
  const auth = await import('./index.js');
  const status = await auth.tokenStatus(serverUrl, deps).catch(() => null);
  return status?.present ? auth.getAuthProvider(serverUrl, deps, options) : undefined;
}
