import { clientDirs } from './paths.js';
import { dollarBraces, headersField, summarizeEntry } from './shared.js';
import type { ClientAdapter } from './types.js';

/**
 * Kiro (IDE + kiro-cli): ~/.kiro/settings/mcp.json, or .kiro/settings/mcp.json in the workspace
 * (which wins). `${VAR}` expands only for variables the user approved in Kiro. [KIRO]
 */
export const kiro: ClientAdapter = {
  id: 'kiro',
  displayName: 'Kiro',
  scopes: ['user', 'project'],
  defaultScope: 'user',
  locate(system, scope) {
    const dirs = clientDirs(system);
    const root = scope === 'project' ? system.cwd : system.home;
    return { file: dirs.join(root, '.kiro', 'settings', 'mcp.json'), format: 'json', serversPath: ['mcpServers'] };
  },
  detection(system) {
    return { paths: [clientDirs(system).join(system.home, '.kiro')], commands: ['kiro', 'kiro-cli'] };
  },
  remoteEntry(spec) {
    return { url: spec.url, ...headersField(spec, kiro) };
  },
  summarize: summarizeEntry,
  nextStep: 'Kiro reloads MCP settings by itself; check the MCP servers panel (approve any env vars it asks about).',
  envHeaders: dollarBraces,
  toolFilter: null,
  windowsApp: true,
};
