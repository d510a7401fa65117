import { clientDirs } from './paths.js';
import { resolveHeaders, summarizeEntry } from './shared.js';
import type { ClientAdapter } from './types.js';

/**
 * Continue: ~/.continue/config.yaml, where `mcpServers` is a *list* of `{name, …}` items; headers
 * nest under `requestOptions.headers`. Project servers are separate block files
 * (.continue/mcpServers/*.yaml), not offered here. [CONT]
 */
export const continueDev: ClientAdapter = {
  id: 'continue',
  displayName: 'Continue',
  scopes: ['user'],
  defaultScope: 'user',
  locate(system) {
    return { file: clientDirs(system).join(system.home, '.continue', 'config.yaml'), format: 'yaml', serversPath: ['mcpServers'], listKey: 'name' };
  },
  detection(system) {
    return { paths: [clientDirs(system).join(system.home, '.continue')], commands: ['cn'] };
  },
  remoteEntry(spec) {
    const headers = resolveHeaders(spec, continueDev);
    return { type: spec.transport === 'sse' ? 'sse' : 'streamable-http', url: spec.url, ...(headers ? { requestOptions: { headers } } : {}) };
  },
  summarize: summarizeEntry,
  nextStep: 'Continue reloads config.yaml by itself; check the MCP section of its settings.',
  toolFilter: null,
  headerFields: [['requestOptions', 'headers']],
};
