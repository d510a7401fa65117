import type { Scope } from '../services/clients/types.js';
import { UsageError } from '../services/errors.js';

/**
 * --scope for `add` and the wizard. Its own module so the wizard can use it without importing
 * commands/add.ts, which would pull the MCP SDK and the config writers in before the first frame.
 */
export function parseScope(value: string): Scope {
  if (value === 'user' || value === 'project' || value === 'local') return value;
  throw new UsageError(`Unknown scope "${value}".`, 'Use --scope user, project or local.');
}
