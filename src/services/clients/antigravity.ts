import { clientDirs, existingOr } from './paths.js';
import { headersField, summarizeEntry } from './shared.js';
import type { ClientAdapter } from './types.js';

/**
 * Antigravity (IDE + `agy` CLI): ~/.gemini/config/mcp_config.json, shared by IDE and CLI in
 * newer builds; older IDE builds read ~/.gemini/antigravity/mcp_config.json, so an existing older
 * file is used when the newer one is absent. `serverUrl`: a plain `url` fails silently at
 * tool-call time. [AG]
 */
export const antigravity: ClientAdapter = {
  id: 'antigravity',
  displayName: 'Antigravity',
  scopes: ['user', 'project'],
  defaultScope: 'user',
  locate(system, scope) {
    const dirs = clientDirs(system);
    const file = scope === 'project' ? dirs.join(system.cwd, '.agents', 'mcp_config.json') : dirs.join(system.home, '.gemini', 'config', 'mcp_config.json');
    return { file, format: 'json', serversPath: ['mcpServers'] };
  },
  async candidates(system, scope) {
    const base = antigravity.locate(system, scope);
    if (scope !== 'user') return [base];
    const dirs = clientDirs(system);
    const older = { ...base, file: dirs.join(system.home, '.gemini', 'antigravity', 'mcp_config.json'), label: 'older IDE builds' };
    return existingOr([base, older], base);
  },
  detection(system) {
    const dirs = clientDirs(system);
    return { paths: [dirs.join(system.home, '.gemini', 'config'), dirs.join(system.home, '.gemini', 'antigravity')], commands: ['agy', 'antigravity'] };
  },
  remoteEntry(spec) {
    return { serverUrl: spec.url, ...headersField(spec, antigravity) };
  },
  summarize: summarizeEntry,
  nextStep: 'In Antigravity, open the MCP servers panel and refresh (or restart agy).',
  toolFilter: null,
  windowsApp: true,
};
