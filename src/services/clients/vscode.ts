import { baseDirs } from '../platform-paths.js';
import { summarizeEntry, typedUrlEntry } from './shared.js';
import type { ClientAdapter } from './types.js';

/**
 * VS Code reads `servers` (not `mcpServers`: that key is a silent no-op) from a JSONC file: the
 * user profile's mcp.json under the Code user dir, or `.vscode/mcp.json` in a workspace. `type`
 * is required for remote entries.
 */
export const vscode: ClientAdapter = {
  id: 'vscode',
  displayName: 'VS Code',
  scopes: ['user', 'project'],
  defaultScope: 'user',
  locate(system, scope) {
    const dirs = baseDirs(system);
    const file = scope === 'project' ? dirs.join(system.cwd, '.vscode', 'mcp.json') : dirs.join(dirs.appData, 'Code', 'User', 'mcp.json');
    return { file, format: 'jsonc', serversPath: ['servers'] };
  },
  detection(system) {
    const dirs = baseDirs(system);
    return { paths: [dirs.join(dirs.appData, 'Code', 'User')], commands: ['code'] };
  },
  remoteEntry: (spec) => typedUrlEntry(spec),
  summarize: summarizeEntry,
  nextStep: 'In VS Code, run "MCP: List Servers", pick the server and choose Start.',
};
