import { clientDirs, exists } from './paths.js';
import { extensionCandidates, extensionDefault, extensionDetectionPaths } from './editor-extensions.js';
import { headersField, summarizeEntry } from './shared.js';
import type { ClientAdapter } from './types.js';

const EXTENSION = 'saoudrizwan.claude-dev';
const REL = ['settings', 'cline_mcp_settings.json'];

/**
 * Cline: `type: "streamableHttp"` — `"http"` fails Cline's zod schema, and a url without a type
 * means SSE. `disabled` and `autoApprove` are what Cline itself writes; one invalid entry can
 * block every server, so nothing else is added. The Cline CLI keeps its own file under
 * ~/.cline/data (CLINE_DIR). [CL-src][DD]
 */
export const cline: ClientAdapter = {
  id: 'cline',
  displayName: 'Cline',
  scopes: ['user'],
  defaultScope: 'user',
  locate: (system) => extensionDefault(system, EXTENSION, REL),
  async candidates(system) {
    const dirs = clientDirs(system);
    const cliDir = system.env.CLINE_DIR || dirs.join(system.home, '.cline');
    const cli = { file: dirs.join(cliDir, 'data', 'settings', 'cline_mcp_settings.json'), format: 'json' as const, serversPath: ['mcpServers'], label: 'Cline CLI' };
    const editors = await extensionCandidates(system, EXTENSION, REL);
    return (await exists(cli.file)) ? [...editors, cli] : editors;
  },
  detection(system) {
    const dirs = clientDirs(system);
    return { paths: [...extensionDetectionPaths(system, EXTENSION), dirs.join(system.env.CLINE_DIR || dirs.join(system.home, '.cline'), 'data')], commands: ['cline'] };
  },
  remoteEntry(spec) {
    const type = spec.transport === 'sse' ? 'sse' : 'streamableHttp';
    return { type, url: spec.url, ...headersField(spec, cline), disabled: false, autoApprove: [] };
  },
  summarize: summarizeEntry,
  nextStep: 'In Cline, open MCP Servers → Installed; the server connects by itself (press Restart if not).',
  toolFilter: null,
  windowsApp: true,
};
