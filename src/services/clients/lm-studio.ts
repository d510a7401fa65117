import { clientDirs, existingOr } from './paths.js';
import { headersField, summarizeEntry } from './shared.js';
import type { ClientAdapter } from './types.js';

/**
 * LM Studio: ~/.lmstudio/mcp.json on every OS (older Linux installs: ~/.cache/lm-studio/mcp.json),
 * in Cursor's notation `{url, headers?}`. [LMS]
 */
export const lmStudio: ClientAdapter = {
  id: 'lm-studio',
  displayName: 'LM Studio',
  scopes: ['user'],
  defaultScope: 'user',
  locate(system) {
    return { file: clientDirs(system).join(system.home, '.lmstudio', 'mcp.json'), format: 'json', serversPath: ['mcpServers'] };
  },
  async candidates(system, scope) {
    const base = lmStudio.locate(system, scope);
    const older = { ...base, file: clientDirs(system).join(system.home, '.cache', 'lm-studio', 'mcp.json'), label: 'older install' };
    return existingOr([base, older], base);
  },
  detection(system) {
    const dirs = clientDirs(system);
    return { paths: [dirs.join(system.home, '.lmstudio'), dirs.join(system.home, '.cache', 'lm-studio')], commands: ['lms'] };
  },
  remoteEntry(spec) {
    return { url: spec.url, ...headersField(spec, lmStudio) };
  },
  summarize: summarizeEntry,
  nextStep: 'In LM Studio, open Program → Integrations and switch the server on.',
  toolFilter: null,
  windowsApp: true,
};
