import { clientDirs } from './paths.js';
import { dollarEnv, headersField, summarizeEntry } from './shared.js';
import type { ClientAdapter } from './types.js';

/**
 * Cursor (editor and `agent` CLI share the files): ~/.cursor/mcp.json on every OS (not AppData on
 * Windows), `.cursor/mcp.json` per project. Cursor picks the transport itself, so the entry is
 * just `{url, headers?}`.
 */
export const cursor: ClientAdapter = {
  id: 'cursor',
  displayName: 'Cursor',
  scopes: ['user', 'project'],
  defaultScope: 'user',
  locate(system, scope) {
    const dirs = clientDirs(system);
    const root = scope === 'project' ? system.cwd : system.home;
    return { file: dirs.join(root, '.cursor', 'mcp.json'), format: 'json', serversPath: ['mcpServers'] };
  },
  detection(system) {
    return { paths: [clientDirs(system).join(system.home, '.cursor')], commands: ['cursor'] };
  },
  remoteEntry(spec) {
    return { url: spec.url, ...headersField(spec, cursor) };
  },
  summarize: summarizeEntry,
  nextStep: 'Open Cursor Settings → MCP and check the server is on (or restart Cursor).',
  envHeaders: dollarEnv,
  toolFilter: null,
  windowsApp: true,
};
