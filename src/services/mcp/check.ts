import type { AuthDeps } from '../auth/types.js';
import { storedAuthProvider } from '../auth/stored-provider.js';
import { verifyServer, type VerifyOptions, type VerifyResult } from './verify.js';

/**
 * verifyServer with mcp-setup's own sign-in, when there is one for this server: the stored
 * tokens (refreshed under the lock) are used; without them the server is asked anonymously, so
 * a 401 still reads "needs sign-in". The auth code loads only when tokens exist.
 */
export async function checkServer(
  deps: AuthDeps,
  options: Omit<VerifyOptions, 'fetch' | 'now' | 'authProvider'> & { name?: string },
): Promise<VerifyResult & { withSignIn: boolean }> {
  const { name, ...verify } = options;
  const authProvider = await storedAuthProvider(options.url, deps, name ? { name } : {});
  const result = await verifyServer({ ...verify, fetch: deps.fetch, now: () => performance.now(), ...(authProvider ? { authProvider } : {}) });
  // Whether mcp-setup's own sign-in went along: an app without its own may still be refused.
  return { ...result, withSignIn: Boolean(authProvider) };
}
