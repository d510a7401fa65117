import { access } from 'node:fs/promises';
import path from 'node:path';

/**
 * The sign-in state file's name under mcp-setup's state dir (conf's `${configName}.json`). Its
 * own tiny module so callers can check for it without loading conf and the auth code.
 */
export const AUTH_STATE_FILE = 'auth.json';

/**
 * Was a sign-in ever stored? Read paths ask this first, so a machine that never signed in
 * doesn't load conf and the auth code just to find nothing.
 */
export function hasAuthState(stateDir: string): Promise<boolean> {
  return access(path.join(stateDir, AUTH_STATE_FILE)).then(
    () => true,
    () => false,
  );
}
