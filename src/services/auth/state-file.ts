/**
 * The sign-in state file's name under mcp-setup's state dir (conf's `${configName}.json`). Its
 * own tiny module so callers can check for it without loading conf and the auth code.
 */
export const AUTH_STATE_FILE = 'auth.json';
