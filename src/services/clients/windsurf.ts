import { clientDirs } from './paths.js';
import { dollarEnv, headersField, summarizeEntry } from './shared.js';
import type { ClientAdapter } from './types.js';

/**
 * Windsurf (→ "Devin Desktop"): one global file, ~/.codeium/windsurf/mcp_config.json on every OS.
 * `serverUrl`, not `url`: a Cursor-style `url` entry reportedly fails. [WS-docs]
 */
export const windsurf: ClientAdapter = {
  id: 'windsurf',
  displayName: 'Windsurf',
  scopes: ['user'],
  defaultScope: 'user',
  locate(system) {
    const dirs = clientDirs(system);
    return { file: dirs.join(system.home, '.codeium', 'windsurf', 'mcp_config.json'), format: 'json', serversPath: ['mcpServers'] };
  },
  detection(system) {
    return { paths: [clientDirs(system).join(system.home, '.codeium', 'windsurf')], commands: ['windsurf'] };
  },
  remoteEntry(spec) {
    return { serverUrl: spec.url, ...headersField(spec, windsurf) };
  },
  summarize: summarizeEntry,
  nextStep: 'In Windsurf, open the MCP panel (Cascade → MCP servers) and press Refresh.',
  envHeaders: dollarEnv,
  toolFilter: null,
  windowsApp: true,
};
