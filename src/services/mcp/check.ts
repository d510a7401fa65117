import { access } from 'node:fs/promises';
import path from 'node:path';
import type { AuthDeps } from '../auth/types.js';
import { AUTH_STATE_FILE } from '../auth/state-file.js';
import { verifyServer, type VerifyOptions, type VerifyResult } from './verify.js';

/**
 * verifyServer with mcp-setup's own sign-in, when there is one for this server: the stored
 * tokens (refreshed under the lock) are used; without them the server is asked anonymously, so
 * a 401 still reads "needs sign-in". The auth code loads only when tokens exist.
 */
export async function checkServer(
  deps: AuthDeps,
  options: Omit<VerifyOptions, 'fetch' | 'now' | 'authProvider'> & { name?: string },
): Promise<VerifyResult> {
  const { name, ...verify } = options;
  // Never signed in anywhere: skip loading the auth code and its store (most verify/list runs).
  const signedInSomewhere = await access(path.join(deps.stateDir, AUTH_STATE_FILE)).then(
    () => true,
    () => false,
  );
  let authProvider: Awaited<ReturnType<typeof import('../auth/index.js').getAuthProvider>> | undefined;
  if (signedInSomewhere) {
    const auth = await import('../auth/index.js');
    const status = await auth.tokenStatus(options.url, deps).catch(() => null);
    if (status?.present) authProvider = await auth.getAuthProvider(options.url, deps, name ? { name } : {});
  }
  return verifyServer({ ...verify, fetch: deps.fetch, now: () => performance.now(), ...(authProvider ? { authProvider } : {}) });
}
